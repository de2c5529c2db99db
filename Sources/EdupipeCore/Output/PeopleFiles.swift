/// The outputs for people beside the contract files: per period, the
/// workbook `indicators.xlsx` and the page `report.html`.
public enum PeopleFiles {
    public static let workbookName = "indicators.xlsx"
    public static let reportName = "report.html"

    /// One task per file, to run beside the contract files' writers.
    public static func tasks(out: String, tables: [PeriodTables], registry: Registry,
                             config: PipelineConfig) -> [@Sendable () throws -> Void] {
        tables.flatMap { t -> [@Sendable () throws -> Void] in
            let dir = out + "/" + t.period
            return [
                { try Workbook.write(t, registry: registry, config: config, to: dir + "/" + workbookName) },
                { try ReportPage.write(t, registry: registry, config: config, to: dir + "/" + reportName) },
            ]
        }
    }
}
