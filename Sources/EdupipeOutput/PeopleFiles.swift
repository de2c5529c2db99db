import EdupipeStandard
import EdupipeAggregate

/// The outputs for people beside the contract files: per period, the
/// workbook `indicators.xlsx` and the page `report.html`.
public enum PeopleFiles {
    public static let workbookName = "indicators.xlsx"
    public static let reportName = "report.html"

    /// Starts writing the files on a thread of their own; the caller
    /// `finish`es them.
    package static func start(out: String, tables: [PeriodTables], quality: [String: [QualityFlag]] = [:], registry: Registry,
                      config: CompiledPlan) -> OutputTasks {
        OutputTasks(tasks(out: out, tables: tables, across: AcrossPeriods(views: tables, quality: quality), registry: registry,
                          config: config), threads: 1)
    }

    /// One task per file, in the order they are written.
    private static func tasks(out: String, tables: [PeriodTables], across: AcrossPeriods, registry: Registry,
                             config: CompiledPlan) -> [OutputTasks.Task] {
        tables.flatMap { t -> [OutputTasks.Task] in
            let dir = out + "/" + t.period
            return [
                { try Workbook.write(t, across: across, registry: registry, config: config, to: dir + "/" + workbookName) },
                { try ReportPage.write(t, across: across, registry: registry, config: config, to: dir + "/" + reportName) },
            ]
        }
    }
}
