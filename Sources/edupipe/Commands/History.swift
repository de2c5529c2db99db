import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import EdupipeRun
import EdupipeSupport

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Recent runs from the run ledger: outcome, files by status, what changed; and the uploads to `edupipe serve`.",
        discussion: "Exit status: 0 shown; 1 no ledger or an unreadable one; 2 usage error."
    )

    @Option(help: "State folder holding the run ledger.")
    var state: String = ".edupipe"

    @Option(help: "How many runs, newest first.")
    var limit: Int = 10

    @Option(help: "text or json.")
    var format: Status.OutputFormat = .text

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        do {
            guard let ledger = try Ledger.existing(directory: state) else {
                StandardStream.error.write("edupipe: no run ledger in \(state): run `edupipe run` first (or give --state)\n")
                Glibc.exit(1)
            }
            let runs = try ledger.runs(limit: limit).map { ($0, try ledger.changes(run: $0.id)) }
            let uploads = try ledger.uploads(limit: limit)
            StandardStream.output.write(format == .text ? HistoryReport.text(runs, uploads: uploads) : HistoryReport.json(runs, uploads: uploads))
        } catch {
            StandardStream.error.write("edupipe: \(error)\n")
            Glibc.exit(1)
        }
    }
}
