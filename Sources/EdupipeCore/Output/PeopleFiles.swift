/// The outputs for people beside the contract files: per period, the
/// workbook `indicators.xlsx` and the page `report.html`.
public enum PeopleFiles {
    public static let workbookName = "indicators.xlsx"
    public static let reportName = "report.html"

    /// Writes the files on a thread of their own, while the run records
    /// itself in the ledger; `finish` waits and throws the first failure.
    public final class Writing {
        private let thread: WorkerPool.Background
        private let failure: ResultSlots<String>

        init(out: String, tables: [PeriodTables], registry: Registry, config: PipelineConfig) {
            let tasks = PeopleFiles.tasks(out: out, tables: tables, registry: registry, config: config)
            let failure = ResultSlots<String>(count: 1)
            self.failure = failure
            thread = WorkerPool.background {
                do {
                    for task in tasks { try task() }
                } catch {
                    failure[0] = "\(error)"
                }
            }
        }

        public func finish() throws {
            thread.join()
            if let message = failure[0] { throw AtomicFile.WriteError(description: message) }
        }
    }

    /// One task per file, in the order they are written.
    private static func tasks(out: String, tables: [PeriodTables], registry: Registry,
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
