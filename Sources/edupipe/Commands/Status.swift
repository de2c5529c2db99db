import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import EdupipeAggregate
import EdupipeRun
import EdupipeSupport

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Who has reported, who was late, who is missing: from the run ledger.",
        discussion: """
        Per province and dataset: counties reporting out of expected, late and missing, as of the \\
        last run. With --province, also each county's file in force, when it arrived and its records. \\
        Exit status: 0 shown; 1 no ledger or an unreadable one; 2 usage error.
        """
    )

    @OptionGroup var plan: PlanOptions
    @OptionGroup var scope: ScopeOption

    @Option(help: "State folder holding the run ledger.")
    var state: String = ".edupipe"

    @Option(help: "Only this period (default: every period in the inbox).")
    var period: String?

    @Option(help: "Only this province (2-digit or 6-digit code); lists its counties.")
    var province: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument { case text, json }

    func run() throws {
        let setup = plan.loadOrExit(status: 1, scope: scope.scope)
        var provinceCode: String?
        if let province {
            let code = province.count == 2 ? province + "0000" : province
            guard setup.registry.provinces.contains(code) else {
                throw ValidationError("--province \(province) is not a province of the registry (e.g. 42 or 420000)")
            }
            provinceCode = code
        }
        do {
            guard let ledger = try Ledger.existing(directory: state) else {
                StandardStream.error.write("edupipe: no run ledger in \(state): run `edupipe run` first (or give --state)\n")
                Glibc.exit(1)
            }
            let run = try ledger.lastCompletedRun()
            let periods = try period.map { [$0] } ?? ledger.currentPeriods()
            let statuses = try periods.map {
                try ledger.reportingStatus(period: $0, registry: setup.registry, datasets: setup.config.datasets, deadlines: setup.config.deadlines, province: provinceCode)
            }
            // The last run's quality flags, counted per county (section 8).
            var quality: [String: [QualityFlag]] = [:]
            if let out = run?.out { for p in periods { quality[p] = (try? FinishedRun.quality(out: out, period: p)) ?? [] } }
            switch format {
            case .text:
                StandardStream.output.write(StatusReport.text(statuses, run: run, registry: setup.registry, countyDetail: provinceCode != nil,
                                                                  language: setup.config.language, quality: quality, province: provinceCode))
            case .json:
                StandardStream.output.write(StatusReport.json(statuses, run: run, registry: setup.registry))
            }
        } catch {
            StandardStream.error.write("edupipe: \(error)\n")
            Glibc.exit(1)
        }
    }
}
