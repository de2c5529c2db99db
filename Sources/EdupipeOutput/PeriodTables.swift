import EdupipeInput
import EdupipeStandard
import EdupipeAggregate

/// One period's results as people read them: at each level a row per unit
/// and a column per indicator, and the files of the period with their first
/// error. The workbook, the report and the wide CSV tables are drawn from
/// it. It is built from a run in memory, or read back from a finished run's
/// outputs by `edupipe export`; both give the same bytes.
public struct PeriodTables: Sendable {
    /// A unit's value of one indicator, as in `indicators.csv`.
    public struct Cell: Sendable, Equatable {
        public var numerator: Int
        /// Nil for count indicators.
        public var denominator: Int?
        public var status: IndicatorRow.Status

        public init(numerator: Int, denominator: Int?, status: IndicatorRow.Status) {
            self.numerator = numerator
            self.denominator = denominator
            self.status = status
        }

        init(_ row: IndicatorRow) {
            self.init(numerator: row.numerator, denominator: row.denominator, status: row.status)
        }

        /// The value as a number, for charts; nil for `no_data`.
        public var value: Double? {
            guard status != .noData else { return nil }
            guard let denominator else { return Double(numerator) }
            return denominator == 0 ? nil : Double(numerator) / Double(denominator)
        }
    }

    /// A unit's cells by catalog entry, read from the indicator rows in
    /// place (the rows are shared with the run's table, not copied); nil
    /// where the level has no such row (cross-county duplicates at county
    /// level).
    public struct UnitCells: Sendable {
        let rows: IndicatorRows
        let range: Range<Int>

        public subscript(entry: Int) -> Cell? {
            // Rows are in catalog order with at most a few entries left out:
            // start where the entry would be and walk back.
            guard !range.isEmpty else { return nil }
            var k = range.lowerBound + min(entry, range.count - 1)
            while k >= range.lowerBound {
                let e = rows.entry(at: k)
                if e == entry { return Cell(rows[k]) }
                if e < entry { return nil }
                k -= 1
            }
            return nil
        }

        /// The target applied to each catalog entry of this unit.
        public var targets: [Target?] { range.isEmpty ? [] : rows.unit(at: range.lowerBound).targets }

        /// The cells present, in catalog order.
        public var present: [(entry: Int, cell: Cell)] { range.map { (rows.entry(at: $0), Cell(rows[$0])) } }
    }

    /// One unit: the nation, a province, a prefecture or a county.
    public struct UnitRow: Sendable {
        public let level: Registry.Level
        public let code: String
        public let name: String
        public let cells: UnitCells
    }

    /// One file of the period, as in `submissions.csv`, with the message
    /// and place of its first error (from `errors.csv`).
    public struct FileLine: Sendable, Equatable {
        public var path: String
        public var county: String?
        public var dataset: Dataset?
        public var revision: Int?
        public var status: SubmissionStatus
        public var records: Int
        public var errors: Int
        public var warnings: Int
        public var firstError: String?
        public var firstMessage: String?
        public var line: Int?
        public var column: String?

        package init(
            path: String,
            county: String?,
            dataset: Dataset?,
            revision: Int?,
            status: SubmissionStatus,
            records: Int,
            errors: Int,
            warnings: Int,
            firstError: String?,
            firstMessage: String?,
            line: Int?,
            column: String?
        ) {
            self.path = path
            self.county = county
            self.dataset = dataset
            self.revision = revision
            self.status = status
            self.records = records
            self.errors = errors
            self.warnings = warnings
            self.firstError = firstError
            self.firstMessage = firstMessage
            self.line = line
            self.column = column
        }
    }

    public let period: String
    public let plan: String
    public let catalog: IndicatorCatalog
    /// The nation's target of each catalog entry.
    public let targets: [Target?]
    /// Each level's targets, as its first unit's rows applied them (a plan
    /// may set a target per level).
    public let levelTargets: [Registry.Level: [Target?]]
    public let national: UnitRow
    public let provinces: [UnitRow]
    public let prefectures: [UnitRow]
    /// A scoped run (`--scope`): no national row; `national` is then the
    /// scope unit's row, the top of the tables.
    public let isScoped: Bool
    public let counties: [UnitRow]
    /// The period's files, and files whose name does not parse (which could
    /// belong to any period), in file-name order.
    public let files: FileLines

    /// The tables over `rows` (a unit's rows together, in catalog order, as
    /// `IndicatorTable` makes them).
    package init(period: String, plan: String, catalog: IndicatorCatalog, targets: [Target?], rows: IndicatorRows, files: FileLines) {
        self.period = period
        self.plan = plan
        self.catalog = catalog
        self.targets = targets
        var levelTargets: [Registry.Level: [Target?]] = [:]
        var units: [UnitRow] = []
        var start = rows.startIndex
        while start < rows.endIndex {
            let unit = rows.unit(at: start)
            if levelTargets[unit.level] == nil { levelTargets[unit.level] = unit.targets }
            var end = start + 1
            while end < rows.endIndex && rows.sameUnit(start, end) { end += 1 }
            units.append(UnitRow(level: unit.level, code: unit.code, name: unit.name, cells: UnitCells(rows: rows, range: start..<end)))
            start = end
        }
        self.levelTargets = levelTargets
        isScoped = !units.isEmpty && !units.contains { $0.level == .national }
        national = units.first { $0.level == .national } ?? units.first
            ?? UnitRow(level: .national, code: IndicatorTable.nationalCode, name: IndicatorTable.nationalName, cells: UnitCells(rows: IndicatorRows(), range: 0..<0))
        provinces = units.filter { $0.level == .province }
        prefectures = units.filter { $0.level == .prefecture }
        counties = units.filter { $0.level == .county }
        self.files = files
    }

    public func rows(_ level: Registry.Level) -> [UnitRow] {
        switch level {
        case .national: isScoped ? [] : [national]
        case .province: provinces
        case .prefecture: prefectures
        case .county: counties
        }
    }

    /// Counties without a file in force for `dataset`, in code order.
    public func notReported(_ dataset: Dataset) -> [String] {
        guard let i = catalog.entries.firstIndex(where: { $0.dataset == dataset && $0.isReportingRate }) else { return [] }
        return counties.filter { ($0.cells[i]?.numerator ?? 0) == 0 }.map(\.code)
    }

    public var rejectedFiles: [FileLine] { files.filter { $0.status == .rejected } }
}

extension PeriodTables {
    /// The tables of a run that has just computed `table`.
    public init(table: IndicatorTable, submissions: [SubmissionRecord], config: CompiledPlan) {
        self.init(period: table.period, plan: config.plan, catalog: config.catalog,
                  targets: table.rows.first?.unit.targets ?? [],
                  rows: table.rows, files: FileLines(records: submissions, period: table.period))
    }
}

/// The files of one period, drawn on demand from the run's submission
/// records (no copy of 8,000 records per period), or read from
/// `submissions.csv` by `edupipe export`.
public struct FileLines: RandomAccessCollection, Sendable {
    private enum Backing: Sendable {
        case records([SubmissionRecord])
        case lines([PeriodTables.FileLine])
    }

    private let backing: Backing
    private let positions: [Int32]

    init(records: [SubmissionRecord], period: String) {
        backing = .records(records)
        positions = records.indices.compactMap { i in
            records[i].name == nil || records[i].name?.period == period ? Int32(i) : nil
        }
    }

    package init(lines: [PeriodTables.FileLine]) {
        backing = .lines(lines)
        positions = lines.indices.map { Int32($0) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { positions.count }

    public subscript(i: Int) -> PeriodTables.FileLine {
        let k = Int(positions[i])
        switch backing {
        case .lines(let lines):
            return lines[k]
        case .records(let records):
            // In place, by index: see `SubmissionRecord`.
            let first = records[k].firstIssue ?? records[k].acceptanceIssue
            let name = records[k].name
            return PeriodTables.FileLine(
                path: records[k].path, county: name?.county, dataset: name?.dataset, revision: name?.revision,
                status: records[k].status, records: records[k].records, errors: records[k].errors, warnings: records[k].warnings,
                firstError: records[k].firstError?.rawValue, firstMessage: first?.message, line: first?.line, column: first?.column)
        }
    }
}
