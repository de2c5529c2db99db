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

        /// The value as `indicators.csv` writes it (six decimals, or the
        /// count); nil for `no_data`.
        public var valueText: String? {
            guard status != .noData else { return nil }
            guard let denominator else { return String(numerator) }
            return Ratio.sixDecimals(numerator, denominator)
        }

        /// The value as a number, for charts; nil for `no_data`.
        public var value: Double? {
            guard status != .noData else { return nil }
            guard let denominator else { return Double(numerator) }
            return denominator == 0 ? nil : Double(numerator) / Double(denominator)
        }
    }

    /// One unit (the nation, a province, a prefecture or a county) with its
    /// cells by catalog entry; nil where the level has no such row
    /// (cross-county duplicates at county level).
    public struct UnitRow: Sendable {
        public let level: Registry.Level
        public let code: String
        public let name: String
        public var cells: [Cell?]

        public init(level: Registry.Level, code: String, name: String) {
            self.level = level
            self.code = code
            self.name = name
            cells = Array(repeating: nil, count: IndicatorCatalog.entries.count)
        }

        public func cell(_ indicator: String) -> Cell? {
            IndicatorCatalog.index(of: indicator).flatMap { cells[$0] }
        }
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
    }

    public let period: String
    public let plan: String
    /// The plan's target of each catalog entry.
    public let targets: [Target?]
    public let national: UnitRow
    public let provinces: [UnitRow]
    public let prefectures: [UnitRow]
    public let counties: [UnitRow]
    /// The period's files, and files whose name does not parse (which could
    /// belong to any period), in file-name order.
    public let files: [FileLine]

    public init(period: String, plan: String, targets: [Target?], units: [UnitRow], files: [FileLine]) {
        self.period = period
        self.plan = plan
        self.targets = targets
        national = units.first { $0.level == .national } ?? UnitRow(level: .national, code: IndicatorTable.nationalCode,
                                                                      name: IndicatorTable.nationalName)
        provinces = units.filter { $0.level == .province }
        prefectures = units.filter { $0.level == .prefecture }
        counties = units.filter { $0.level == .county }
        self.files = files
    }

    public func rows(_ level: Registry.Level) -> [UnitRow] {
        switch level {
        case .national: [national]
        case .province: provinces
        case .prefecture: prefectures
        case .county: counties
        }
    }

    /// Counties without a file in force for `dataset`, in code order.
    public func notReported(_ dataset: Dataset) -> [String] {
        guard let i = IndicatorCatalog.index(of: "\(dataset.rawValue).reporting_rate") else { return [] }
        return counties.filter { ($0.cells[i]?.numerator ?? 0) == 0 }.map(\.code)
    }

    public var rejectedFiles: [FileLine] { files.filter { $0.status == .rejected } }
}

extension PeriodTables {
    /// The tables of a run that has just computed `table`.
    public init(table: IndicatorTable, submissions: [SubmissionRecord], config: PipelineConfig) {
        var units: [UnitRow] = []
        var current: UnitRow?
        var lastUnit: IndicatorUnit?
        for r in table.rows {
            if r.unit !== lastUnit {
                if let current { units.append(current) }
                lastUnit = r.unit
                current = UnitRow(level: r.level, code: r.code, name: r.name)
            }
            current!.cells[r.entry] = Cell(numerator: r.numerator, denominator: r.denominator, status: r.status)
        }
        if let current { units.append(current) }
        let files = submissions.lazy.filter { $0.name == nil || $0.name?.period == table.period }.map { s in
            let first = s.firstIssue ?? s.acceptanceIssue
            return FileLine(path: s.path, county: s.name?.county, dataset: s.name?.dataset, revision: s.name?.revision,
                            status: s.status, records: s.records, errors: s.errors, warnings: s.warnings,
                            firstError: s.firstError?.rawValue, firstMessage: first?.message,
                            line: first?.line, column: first?.column)
        }
        self.init(period: table.period, plan: config.plan,
                  targets: IndicatorCatalog.entries.map { config.targets[$0.name] },
                  units: units, files: Array(files))
    }
}
