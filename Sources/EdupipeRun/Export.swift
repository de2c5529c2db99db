#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport
import EdupipeAggregate
import EdupipeOutput

/// `edupipe export`: rebuilds the tables for people from a finished run's
/// outputs, without reading the inbox again.
public enum Export {
    public enum Format: String, Sendable, CaseIterable {
        case xlsx, html, csv, json
    }

    public struct Options: Sendable {
        /// The finished run's output folder.
        public var out: String
        /// Periods to export; all the run computed when empty.
        public var periods: [String]
        public var formats: [Format]
        /// Where the files go (`<to>/<period>/`); the run's own period
        /// folders when nil.
        public var to: String?

        public init(out: String, periods: [String] = [], formats: [Format] = [.xlsx, .html], to: String? = nil) {
            self.out = out
            self.periods = periods
            self.formats = formats
            self.to = to
        }
    }

    /// Writes every requested file atomically; returns their paths.
    public static func run(_ options: Options, setup: Setup) throws -> [String] {
        let periods = options.periods.isEmpty ? FinishedRun.periods(in: options.out) : options.periods
        guard !periods.isEmpty else {
            throw EdupipeError(.notFound, "\(options.out) holds no finished run (no <period>/indicators.csv); run `edupipe run --out \(options.out)` first")
        }
        var written: [String] = []
        // Every period of the run, for the trends and the previous period's
        // figures, as the run itself had them; and each period's flags.
        var views: [String: PeriodTables] = [:]
        var quality: [String: [QualityFlag]] = [:]
        for period in Set(FinishedRun.periods(in: options.out) + periods) {
            views[period] = try FinishedRun.read(out: options.out, period: period, config: setup.config)
            quality[period] = try FinishedRun.quality(out: options.out, period: period)
        }
        let across = AcrossPeriods(views: Array(views.values), quality: quality)
        for period in periods {
            guard let tables = views[period] else { continue }
            try checkRegistry(tables, setup.registry, period: period, out: options.out)
            let dir = (options.to ?? options.out) + "/" + period
            do {
                try makeDirectories(dir)
            } catch {
                throw EdupipeError(.io, "cannot create \(dir): \(error)", cause: error)
            }
            for format in options.formats {
                switch format {
                case .xlsx:
                    try Workbook.write(tables, across: across, registry: setup.registry, config: setup.config, to: dir + "/" + PeopleFiles.workbookName)
                    written.append(dir + "/" + PeopleFiles.workbookName)
                case .html:
                    try ReportPage.write(tables, across: across, registry: setup.registry, config: setup.config, to: dir + "/" + PeopleFiles.reportName)
                    written.append(dir + "/" + PeopleFiles.reportName)
                case .csv:
                    for (level, name) in WideCSV.names {
                        try WideCSV.write(tables, level: level, registry: setup.registry, config: setup.config, to: dir + "/" + name)
                        written.append(dir + "/" + name)
                    }
                case .json:
                    try ContractFiles.stream(to: dir + "/indicators.json") { try ContractFiles.indicatorsJSON(tables, into: &$0, $1) }
                    written.append(dir + "/indicators.json")
                }
            }
        }
        return written
    }

    /// The run's units must be the registry's: names of provinces and
    /// prefectures, and the not-reported lists, come from the registry.
    private static func checkRegistry(_ t: PeriodTables, _ registry: Registry, period: String, out: String) throws {
        let unknown = (t.provinces + t.prefectures + t.counties).filter { registry.units[$0.code]?.level != $0.level }
        guard unknown.isEmpty, t.counties.count == registry.counties.count else {
            let example = unknown.first.map { ": \($0.code) \($0.name) is not a \($0.level.rawValue) there" } ?? ""
            throw EdupipeError(.invalidFile, "\(out)/\(period)/indicators.csv was made with another registry "
                + "(\(t.counties.count) counties, the registry has \(registry.counties.count))\(example); pass the run's registry with --registry")
        }
    }
}
