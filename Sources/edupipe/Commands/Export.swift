import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import EdupipeInput
import EdupipeRun
import EdupipeSupport

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Rebuild the workbook, report or tables of a finished run from its outputs.",
        discussion: """
        Reads <out>/<period>/indicators.csv, <out>/submissions.csv and <out>/errors.csv (the inbox is \\
        not read again) and writes, per period: indicators.xlsx (xlsx), report.html (html), \\
        indicators-<level>.csv in wide layout (csv) or indicators.json (json), into <out>/<period>/ \\
        or --to. The plan and registry default to those the run's run.json names. \\
        Exit status: 0 written; 1 no finished run there, or it cannot be read or written; 2 usage error.
        """
    )

    @OptionGroup var plan: PlanOptions
    @OptionGroup var scope: ScopeOption

    @Option(help: "Output folder of a finished `edupipe run`.")
    var out: String

    @Option(help: "Only this period (default: every period of the run).")
    var period: String?

    @Option(parsing: .upToNextOption, help: "xlsx, html, csv or json; several allowed (default: xlsx html).")
    var format: [FormatArgument] = [.init(.xlsx), .init(.html)]

    @Option(help: "Write into this folder instead of the run's (as <to>/<period>/...).")
    var to: String?

    struct FormatArgument: ExpressibleByArgument {
        let value: EdupipeRun.Export.Format
        init(_ value: EdupipeRun.Export.Format) { self.value = value }
        init?(argument: String) {
            guard let f = EdupipeRun.Export.Format(rawValue: argument) else { return nil }
            value = f
        }
    }

    func validate() throws {
        if let period, !SubmissionName.isPeriod(period) {
            throw ValidationError("--period \(period) is not a period (YYYY-spring or YYYY-autumn)")
        }
    }

    func run() throws {
        var plan = plan
        let used = FinishedRun.planPaths(out: out)
        plan.pipeline = plan.pipeline ?? used.pipeline
        plan.registry = plan.registry ?? used.registry
        let setup = plan.loadOrExit(status: 1, scope: scope.scope ?? used.scope)
        do {
            let options = EdupipeRun.Export.Options(out: out, periods: period.map { [$0] } ?? [],
                                                     formats: format.map(\.value), to: to)
            for path in try EdupipeRun.Export.run(options, setup: setup) {
                StandardStream.output.write(path + "\n")
            }
        } catch {
            StandardStream.error.write("edupipe: \(error)\n")
            Glibc.exit(1)
        }
    }
}
