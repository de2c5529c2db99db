/// Writes one SpreadsheetML worksheet row by row: a bold header row that
/// stays in view with the unit columns (a frozen pane), an autofilter over
/// the whole table, and cells with explicit references and styles.
struct SheetWriter {
    let columns: Int
    let rows: Int
    let frozenColumns: Int
    let selected: Bool
    private var row = 0
    private var column = 0
    /// Column letters, made once rather than per cell.
    private let letters: [String]
    private let shared: SharedStrings

    init(columns: Int, rows: Int, frozenColumns: Int, selected: Bool, shared: SharedStrings) {
        self.columns = columns
        self.shared = shared
        letters = (0..<columns).map(Workbook.columnName)
        self.rows = max(rows, 1)
        self.frozenColumns = frozenColumns
        self.selected = selected
    }

    private var lastCell: String { Workbook.columnName(columns - 1) + String(rows) }

    mutating func begin(_ b: inout TextBuffer, widths: [Int]) {
        b.append(Workbook.xmlDeclaration)
        b.append("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" as StaticString)
        b.append("<dimension ref=\"A1:\(lastCell)\"/>")
        b.append(selected ? "<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\">" as StaticString
                          : "<sheetViews><sheetView workbookViewId=\"0\">" as StaticString)
        let topLeft = Workbook.columnName(frozenColumns) + "2"
        if frozenColumns > 0 {
            b.append("<pane xSplit=\"\(frozenColumns)\" ySplit=\"1\" topLeftCell=\"\(topLeft)\" activePane=\"bottomRight\" state=\"frozen\"/>")
            b.append("<selection pane=\"topRight\"/><selection pane=\"bottomLeft\"/>" as StaticString)
            b.append("<selection pane=\"bottomRight\" activeCell=\"\(topLeft)\" sqref=\"\(topLeft)\"/>")
        } else {
            b.append("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>" as StaticString)
            b.append("<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>" as StaticString)
        }
        b.append("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols>" as StaticString)
        for (i, w) in widths.enumerated() {
            b.append("<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(w)\" customWidth=\"1\"/>")
        }
        b.append("</cols><sheetData>" as StaticString)
    }

    mutating func headerRow(_ b: inout TextBuffer, _ titles: [String]) {
        let lines = titles.map { $0.split(separator: "\n", omittingEmptySubsequences: false).count }.max() ?? 1
        row += 1
        column = 0
        b.append("<row r=\"1\" ht=\"\(15 * lines + 3)\" customHeight=\"1\">")
        for title in titles { text(&b, title, style: .header) }
        b.append("</row>" as StaticString)
    }

    mutating func beginRow(_ b: inout TextBuffer) {
        row += 1
        column = 0
        b.append("<row r=\"" as StaticString); b.appendInt(row); b.append("\">" as StaticString)
    }

    mutating func endRow(_ b: inout TextBuffer) {
        b.append("</row>" as StaticString)
    }

    mutating func end(_ b: inout TextBuffer) {
        b.append("</sheetData><autoFilter ref=\"A1:\(lastCell)\"/>")
        b.append("<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>" as StaticString)
        b.append("<pageSetup paperSize=\"9\" orientation=\"landscape\"/></worksheet>" as StaticString)
    }

    private mutating func open(_ b: inout TextBuffer, style: WorkbookStyles.Style) {
        b.append("<c r=\"" as StaticString)
        b.append(letters[column])
        b.appendInt(row)
        // Style 0 is the default: leaving it out keeps the big sheets small.
        if style == .text {
            b.append(0x22)
        } else {
            b.append("\" s=\"" as StaticString)
            b.appendInt(style.rawValue)
            b.append(0x22)
        }
        column += 1
    }

    /// A text cell (shared, or an inline string), neutralised against formulas.
    mutating func text(_ b: inout TextBuffer, _ s: String, style: WorkbookStyles.Style = .text) {
        guard !s.isEmpty else {
            column += 1
            return
        }
        open(&b, style: style)
        let text = FormulaGuard.neutralised(s)
        if let k = shared.position(of: text) {
            b.append(" t=\"s\"><v>" as StaticString)
            b.appendInt(k)
            b.append("</v></c>" as StaticString)
            return
        }
        // Readers may trim white space at the ends, or fold line breaks,
        // unless told to keep it.
        let utf8 = text.utf8
        let keep = utf8.first.map(Self.isSpace)! || utf8.last.map(Self.isSpace)! || utf8.contains(0x0A)
        b.append(keep ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">" as StaticString : " t=\"inlineStr\"><is><t>" as StaticString)
        b.markup(text)
        b.append("</t></is></c>" as StaticString)
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// A whole number, or an empty cell.
    mutating func number(_ b: inout TextBuffer, _ n: Int?) {
        guard let n else {
            column += 1
            return
        }
        open(&b, style: .text)
        b.append("><v>" as StaticString)
        b.appendInt(n)
        b.append("</v></c>" as StaticString)
    }

    /// An indicator's value: the same digits as `indicators.csv`, styled by
    /// its format and status; a grey empty cell for no data.
    mutating func value(_ b: inout TextBuffer, _ cell: PeriodTables.Cell?, format: IndicatorFormat) {
        guard let cell else {
            column += 1
            return
        }
        let notMet = cell.status == .notMet
        guard cell.status != .noData else {
            open(&b, style: .noData)
            b.append("/>" as StaticString)
            return
        }
        switch format {
        case .percent: open(&b, style: notMet ? .percentNotMet : .percent)
        case .decimal: open(&b, style: notMet ? .decimalNotMet : .decimal)
        case .count: open(&b, style: notMet ? .countNotMet : .count)
        }
        b.append("><v>" as StaticString)
        b.appendValue(cell.numerator, over: cell.denominator, trimmed: true)
        b.append("</v></c>" as StaticString)
    }
}

/// `xl/styles.xml`: the few cell styles the sheets use, by index.
enum WorkbookStyles {
    enum Style: Int {
        case text = 0, header, percent, percentNotMet, decimal, decimalNotMet, count, countNotMet, noData, textNotMet
    }

    // Fonts: 0 body, 1 bold, 2 dark red. Fills: 0 and 1 are reserved by
    // the format, 2 header blue-grey, 3 light red (missed target), 4 grey
    // (no data). Number formats: 164 percent with one decimal, 165 one decimal.
    static let xml: StaticString = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="0.0"/></numFmts>\
        <fonts count="3">\
        <font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><sz val="11"/><color rgb="FF9C0006"/><name val="Calibri"/><family val="2"/></font>\
        </fonts>\
        <fills count="5">\
        <fill><patternFill patternType="none"/></fill>\
        <fill><patternFill patternType="gray125"/></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFDDE4EE"/><bgColor indexed="64"/></patternFill></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor indexed="64"/></patternFill></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/><bgColor indexed="64"/></patternFill></fill>\
        </fills>\
        <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
        <border><left/><right/><top/><bottom style="thin"><color rgb="FF7F7F7F"/></bottom><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="10">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="164" fontId="2" fillId="3" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="2" fillId="3" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/>\
        <xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="3" fontId="2" fillId="3" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/>\
        <xf numFmtId="0" fontId="0" fillId="4" borderId="0" xfId="0" applyFill="1"/>\
        <xf numFmtId="0" fontId="2" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}
