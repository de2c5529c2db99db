import Foundation
import Testing
@testable import EdupipeOutput
@testable import EdupipeRun

/// No cell of a CSV edupipe writes runs as a formula (section 6; issue
/// "Nothing slips through", finding 5).
@Suite struct FormulaGuardTests {
    @Test func cellsThatWouldRunGetAnApostrophe() {
        #expect(CSVLine.make(["=HYPERLINK(\"http://x\",\"y\")"]) == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n")
        #expect(CSVLine.make(["@SUM(1+1)", "+cmd", "-2+3", "\tx", "\rx"]) == "\"'@SUM(1+1)\",\"'+cmd\",\"'-2+3\",\"'\tx\",\"'\rx\"\n")
        // Numbers and ordinary text stay as they are.
        #expect(CSVLine.make(["-3", "+1.5", "45", ">=1", "<=0.05", "a=b", ""]) == "-3,+1.5,45,>=1,<=0.05,a=b,\n")
        #expect(CSVLine.make(["-", "+", "-.", "1-2"]) == "\"'-\",\"'+\",\"'-.\",1-2\n")
    }

    /// `restored` takes back exactly the apostrophe the guard added: one
    /// byte, even where the apostrophe and a combining mark after it are one
    /// character (FuzzOutput's crash-335396dc: `'` U+0599 then CRs and `-`).
    @Test func restoringRemovesOneByteNotOneCharacter() {
        let cells = ["'\u{599}\r\r-", "'\u{301}=1", "'\u{301}", "\u{301}=1", "'='", "'-x"]
        for cell in cells {
            var line = TextBuffer(capacity: 16)
            line.csvField(cell)
            let written = String(decoding: line.bytes, as: UTF8.self)
            let inner = written.hasPrefix("\"") ? String(written.dropFirst().dropLast()) : written
            #expect(FormulaGuard.restored(inner) == cell, "\(Array(cell.unicodeScalars))")
        }
        // Not guarded (what follows the apostrophes is a mark), so
        // nothing to take back: the cell stays whole.
        #expect(FormulaGuard.restored("'\u{599}=1") == "'\u{599}=1")
        #expect(FormulaGuard.restored("'\u{599}\r") == "'\u{599}\r")
        // Guarded: one apostrophe comes off, the mark after the next stays.
        #expect(FormulaGuard.restored("''\u{599}") == "''\u{599}")
        #expect(FormulaGuard.restored("''=\u{599}") == "'=\u{599}")
    }

    @Test func theNightsErrorsFileHoldsNoFormula() throws {
        let inbox = Fixtures.tempDirectory("inbox")
        let header = Samples.classHeader + ",=HYPERLINK(\"http://example.invalid\";\"y\"),@SUM(1+1)"
        Fixtures.write(Array(Samples.csv(header, ["110101,1111010001,primary,1,1-01,45,a,b"]).utf8),
                       to: inbox + "/110101_class_size_2022-autumn.csv")
        // A rejected file whose message quotes a value beginning with "=".
        Fixtures.write(Array(Samples.csv(Samples.classHeader, ["110101,1111010001,primary,1,=1+1,x"]).utf8),
                       to: inbox + "/110102_class_size_2022-autumn.csv")
        let out = Fixtures.tempDirectory("out")
        let setup = Setup(config: Fixtures.config, registry: Fixtures.registry)
        let options = RunOptions(inbox: inbox, out: out, jobs: 1, stateDirectory: out + "/.state",
                                 environment: ["EDUPIPE_KEY": String(repeating: "ab", count: 32)])
        _ = try NightlyRun(setup: setup, options: options).execute()
        let errors = try String(contentsOfFile: out + "/errors.csv", encoding: .utf8)
        #expect(errors.contains("\"'=HYPERLINK("))
        #expect(errors.contains(",'@SUM(1+1),") || errors.contains("\"'@SUM(1+1)"))
        // No cell of any CSV begins with a formula character.
        for file in ["errors.csv", "submissions.csv", "2022-autumn/indicators.csv"] {
            let text = try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            for cell in Self.cells(text) {
                if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
                    #expect(Double(cell) != nil, "\(file): \(cell)")
                }
            }
        }
    }

    /// The cells of an RFC 4180 text, unquoted.
    static func cells(_ text: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(text)
        chars.append("\n")
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { cell.append("\""); i += 1 } else { quoted = false }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," || c == "\n" {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(c)
            }
            i += 1
        }
        return cells
    }
}
