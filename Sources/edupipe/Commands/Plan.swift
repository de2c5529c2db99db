import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport
import EdupipeStandard
import EdupipeOutput

/// `edupipe plan check|show|doc`: for the people who write plans.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Check a plan file, show what it declares, or write the county format guide from it.",
        subcommands: [Check.self, Show.self, Doc.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check a plan file: every name resolved, every condition type-checked.",
            discussion: "Exit status: 0 the plan is right, 1 it has a mistake (printed with its line and column), 2 usage error."
        )

        @Argument(help: "The plan file (pipelines/*.yaml).")
        var file: String

        func run() throws {
            guard access(file, R_OK) == 0 else {
                StandardStream.error.write("edupipe: cannot read \(file)\n")
                Glibc.exit(2)
            }
            do {
                let config = try CompiledPlan.load(path: file)
                let indicators = config.catalog.entries.count
                let rules = config.datasetPlans.reduce(0) { $0 + $1.rules.count }
                StandardStream.output.write("\(file): plan \(config.plan) is right: \(config.datasetPlans.count) datasets, \(rules) rules, \(indicators) indicators\n")
            } catch {
                StandardStream.error.write("\(error)\n")
                Glibc.exit(1)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a plan's datasets, fields, rules, measures, indicators and targets as tables.")

        @OptionGroup var plan: PlanOptions

        func run() throws {
            let setup = plan.loadOrExit(status: 2)
            StandardStream.output.write(PlanReport.text(setup.config, language: setup.config.language))
        }
    }

    struct Doc: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doc",
            abstract: "Write the county format guide from the plan, as Markdown and as one HTML page.",
            discussion: "Writes <out>/format.<lang>.md and <out>/format.<lang>.html."
        )

        @OptionGroup var plan: PlanOptions

        @Option(help: "Folder to write the guide into.")
        var out: String = "."

        func run() throws {
            let setup = plan.loadOrExit(status: 2)
            let language = setup.config.language
            let document = FormatGuide.document(setup.config, language: language)
            do {
                try AtomicFile.write(Array(document.markdown.utf8), to: "\(out)/format.\(language.rawValue).md")
                try AtomicFile.write(Array(document.html.utf8), to: "\(out)/format.\(language.rawValue).html")
            } catch {
                StandardStream.error.write("edupipe: \(error)\n")
                Glibc.exit(1)
            }
            StandardStream.output.write("wrote \(out)/format.\(language.rawValue).md and \(out)/format.\(language.rawValue).html\n")
        }
    }
}

/// `edupipe template DATASET`: an empty file with the header, for Excel or WPS.
struct Template: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write an empty submission file with the dataset's header, ready for Excel or WPS.",
        discussion: "UTF-8 CSV starts with a BOM, so Excel opens it as UTF-8. Without --out, the file goes to standard output."
    )

    enum Encoding: String, ExpressibleByArgument { case utf8 = "utf-8", gb18030 }
    enum Form: String, ExpressibleByArgument { case csv, xml }

    @Argument(help: "The dataset (as in file names, e.g. class_size).")
    var dataset: String

    @Option(help: "utf-8 or gb18030.")
    var encoding: Encoding = .utf8

    @Option(help: "csv or xml.")
    var form: Form = .csv

    @Option(help: "County code written in an XML root (default 110101).")
    var county: String = "110101"

    @Option(help: "Period written in an XML root (default 2023-autumn).")
    var period: String = "2023-autumn"

    @Option(help: "File to write (default: standard output).")
    var out: String?

    @OptionGroup var plan: PlanOptions

    func run() throws {
        let setup = plan.loadOrExit(status: 2)
        guard let d = setup.config.datasets.named(dataset) else {
            throw ValidationError("no dataset \(dataset) in plan \(setup.config.plan): its datasets are \(setup.config.datasets.map(\.rawValue).joined(separator: ", "))")
        }
        let bytes = Examples.template(setup.config.plan(of: d), form: form == .csv ? .csv : .xml, gb18030: encoding == .gb18030,
                                      county: county, period: period)
        if let out {
            do {
                try AtomicFile.write(bytes, to: out)
            } catch {
                StandardStream.error.write("edupipe: \(error)\n")
                Glibc.exit(1)
            }
        } else {
            StandardStream.output.write(bytes)
        }
    }
}
