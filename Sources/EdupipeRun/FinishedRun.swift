#if canImport(Glibc)
import Glibc
#endif
import Foundation
import EdupipeSupport
import EdupipeInput
import EdupipeStandard
import EdupipeAggregate
import EdupipeOutput

/// Reads a finished run's outputs back into the tables people read, for
/// `edupipe export`: the period's `indicators.csv` (values, statuses and
/// the targets the run applied), `submissions.csv`, and the first error of
/// each rejected file from `errors.csv`. The inbox is not read again.
public enum FinishedRun {

    /// The plan and registry files the run named in its `run.json`, when
    /// they are still there: export then uses what the run used.
    public static func planPaths(out: String) -> (pipeline: String?, registry: String?, scope: String?) {
        // The paths come before the (long) list of inputs: read and parse
        // only the head of the file.
        guard var head = try? readFileHead(out + "/run.json", count: 1 << 16) else { return (nil, nil, nil) }
        if let inputs = head.firstRange(of: Array(",\"inputs\":".utf8)) {
            head = head[..<inputs.lowerBound] + Array("}".utf8)
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(head)) as? [String: Any] else { return (nil, nil, nil) }
        func path(_ key: String) -> String? {
            guard let p = (json[key] as? [String: Any])?["path"] as? String, access(p, R_OK) == 0 else { return nil }
            return p
        }
        return (path("pipeline"), path("registry"), json["scope"] as? String)
    }

    /// The periods with an `indicators.csv` in `out`, sorted.
    public static func periods(in out: String) -> [String] {
        (AtomicFile.names(in: out) ?? [])
            .filter { SubmissionName.isPeriod($0) && access(out + "/" + $0 + "/indicators.csv", R_OK) == 0 }
            .sorted()
    }

    public static func read(out: String, period: String, config: CompiledPlan) throws -> PeriodTables {
        let indicatorsPath = out + "/" + period + "/indicators.csv"
        guard access(indicatorsPath, R_OK) == 0 else {
            let found = periods(in: out)
            throw EdupipeError(.notFound, "\(indicatorsPath) does not exist: \(out) holds no finished run for \(period)"
                + (found.isEmpty ? "; run `edupipe run --out \(out)` first" : "; its periods are \(found.joined(separator: ", "))"))
        }
        let (rows, targets) = try indicators(indicatorsPath, period: period, catalog: config.catalog)
        var files = try submissions(out + "/submissions.csv", period: period, datasets: config.datasets)
        try firstErrors(out + "/errors.csv", into: &files)
        return PeriodTables(period: period, plan: config.plan, catalog: config.catalog, targets: targets, rows: rows,
                            files: FileLines(lines: files))
    }

    /// Walks a CSV file of ours, checking its header, one record at a time.
    private static func records(_ path: String, header: String, _ body: (CSVReader, Int) throws -> Void) throws {
        let reader: CSVReader
        do {
            reader = CSVReader(source: try FileSource(path: path))
        } catch {
            throw EdupipeError(.io, "cannot read \(path): \(error)", cause: error)
        }
        let columns = header.dropLast().split(separator: ",").map(String.init)
        do {
            guard try reader.next(), reader.fieldCount == columns.count,
                  columns.indices.allSatisfy({ Bytes.string(reader.field($0)) == columns[$0] }) else {
                throw EdupipeError(.invalidFile, "\(path): the header is not \(header.dropLast()); is this an edupipe output folder?")
            }
            while try reader.next() {
                guard reader.fieldCount == columns.count else {
                    throw EdupipeError(.invalidFile, "\(path), line \(reader.recordLine): \(reader.fieldCount) fields, expected \(columns.count)")
                }
                try body(reader, reader.recordLine)
            }
        } catch let error as CSVReadError {
            throw EdupipeError(.invalidFile, "\(path): \(error)", cause: error)
        }
    }

    /// The rows of `indicators.csv` as the run's table held them, and the
    /// nation's target of each indicator (each unit keeps its own, which
    /// the plan may set per level or province).
    private static func indicators(_ path: String, period: String, catalog: IndicatorCatalog) throws -> (IndicatorRows, [Target?]) {
        var rows = IndicatorRows.Builder(capacity: 0)
        var national: [Target?]?
        var targets = [Target?](repeating: nil, count: catalog.entries.count)
        var parsed: [String: Target] = [:]
        // A unit's rows wait until the unit ends: its object holds the
        // targets, known once the first (national) unit has been read.
        var unit: (level: Registry.Level, code: String, name: String)?
        var pending: [(entry: Int, numerator: Int, denominator: Int?, status: IndicatorRow.Status)] = []
        func finishUnit() {
            guard let u = unit else { return }
            let object = IndicatorUnit(period: period, level: u.level, code: u.code, name: u.name, targets: targets, catalog: catalog)
            if national == nil { national = targets }
            targets = [Target?](repeating: nil, count: catalog.entries.count)
            for p in pending {
                rows.append(unit: object, entry: p.entry, numerator: p.numerator, denominator: p.denominator, status: p.status)
            }
            pending.removeAll(keepingCapacity: true)
        }
        try records(path, header: ContractFiles.indicatorsHeader) { r, line in
            func text(_ i: Int) -> String { Bytes.string(r.field(i)) }
            func bad(_ what: String) -> EdupipeError { EdupipeError(.invalidFile, "\(path), line \(line): \(what)") }
            guard text(0) == period else { throw bad("period \(text(0)) in the table of \(period)") }
            guard let level = Registry.Level(rawValue: text(1)) else { throw bad("unknown level \(text(1))") }
            let code = text(2)
            if unit?.level != level || unit?.code != code {
                finishUnit()
                unit = (level, code, text(3))
            }
            guard let entry = catalog.index(of: text(4)) else { throw bad("unknown indicator \(text(4))") }
            guard pending.last.map({ $0.entry < entry }) ?? true else { throw bad("\(text(4)) is out of order") }
            guard let numerator = Int(text(5)) else { throw bad("numerator \(text(5)) is not a whole number") }
            let denominatorText = text(6)
            let denominator = denominatorText.isEmpty ? nil : Int(denominatorText)
            guard denominatorText.isEmpty || denominator != nil else { throw bad("denominator \(denominatorText) is not a whole number") }
            guard let status = IndicatorRow.Status(rawValue: text(9)) else { throw bad("unknown status \(text(9))") }
            guard status == .noData || (denominator ?? 1) > 0 else { throw bad("a value over a denominator of 0") }
            let targetText = text(8)
            if !targetText.isEmpty {
                if parsed[targetText] == nil { parsed[targetText] = Target.parse(targetText) }
                guard let target = parsed[targetText] else { throw bad("target \(targetText) is not like >=1 or <=0.05") }
                targets[entry] = target
            }
            pending.append((entry, numerator, denominator, status))
        }
        finishUnit()
        return (rows.finish(), national ?? targets)
    }

    private static func submissions(_ path: String, period: String, datasets: [Dataset]) throws -> [PeriodTables.FileLine] {
        var files: [PeriodTables.FileLine] = []
        try records(path, header: ContractFiles.submissionsHeader) { r, line in
            // Read back as it was before the formula guard (`FormulaGuard`).
            func text(_ i: Int) -> String { FormulaGuard.restored(Bytes.string(r.field(i))) }
            let filePeriod = text(3)
            guard filePeriod == period || filePeriod.isEmpty else { return }
            guard let status = SubmissionStatus(rawValue: text(5)) else {
                throw EdupipeError(.invalidFile, "\(path), line \(line): unknown status \(text(5))")
            }
            let first = text(9)
            files.append(PeriodTables.FileLine(
                path: text(0), county: text(1).isEmpty ? nil : text(1), dataset: datasets.named(text(2)),
                revision: Int(text(4)), status: status, records: Int(text(6)) ?? 0, errors: Int(text(7)) ?? 0,
                warnings: Int(text(8)) ?? 0, firstError: first.isEmpty ? nil : first,
                firstMessage: nil, line: nil, column: nil))
        }
        return files
    }

    /// A period's `quality.csv` read back (empty when the run wrote none).
    public static func quality(out: String, period: String) throws -> [QualityFlag] {
        let path = out + "/" + period + "/quality.csv"
        guard access(path, R_OK) == 0 else { return [] }
        var flags: [QualityFlag] = []
        try records(path, header: ContractFiles.qualityHeader) { r, line in
            func text(_ i: Int) -> String { FormulaGuard.restored(Bytes.string(r.field(i))) }
            guard let check = QualityFlag.Check(rawValue: text(3)) else {
                throw EdupipeError(.invalidFile, "\(path), line \(line): unknown check \(text(3))")
            }
            flags.append(QualityFlag(code: text(1), name: text(2), check: check, subject: text(4), value: text(5),
                                     reference: text(6), high: text(7) == "high", message: DisplayName(zh: "", en: "")))
        }
        return flags
    }

    /// The first error row of each file that has one (`errors.csv` lists a
    /// file's issues in the order they were found).
    private static func firstErrors(_ path: String, into files: inout [PeriodTables.FileLine]) throws {
        var waiting: [String: Int] = [:]
        for (i, f) in files.enumerated() where f.firstError != nil { waiting[f.path] = i }
        guard !waiting.isEmpty else { return }
        try records(path, header: ContractFiles.errorsHeader) { r, _ in
            let file = FormulaGuard.restored(Bytes.string(r.field(0)))
            guard let i = waiting[file] else { return }
            let code = Bytes.string(r.field(3))
            guard !code.hasPrefix("W_") else { return }
            let column = FormulaGuard.restored(Bytes.string(r.field(2)))
            files[i].line = Int(Bytes.string(r.field(1)))
            files[i].column = column.isEmpty ? nil : column
            files[i].firstMessage = FormulaGuard.restored(Bytes.string(r.field(4)))
            waiting[file] = nil
        }
    }
}
