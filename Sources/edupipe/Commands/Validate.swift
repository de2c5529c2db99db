import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import EdupipeStandard
import EdupipeAggregate
import EdupipeOutput
import EdupipeRun
import EdupipeSupport

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check submission files against the standard before uploading them.",
        discussion: "Exit status: 0 every file accepted, 1 any file rejected, 2 usage or configuration error."
    )

    enum Format: String, ExpressibleByArgument { case text, json }

    @Argument(help: "Submission files (.csv, .csv.gz, .xml, .xml.gz).")
    var files: [String]

    @OptionGroup var plan: PlanOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "The inbox the office holds (a copy will do): each accepted file is also checked against the county's previous file and its other collections there (the quality checks; never a rejection).")
    var inbox: String?

    func validate() throws {
        for file in files {
            var st = stat()
            if stat(file, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR {
                throw ValidationError("\(file) is a folder: validate takes submission files (validate \(file)/*.csv), and `edupipe run --inbox \(file) --out OUT` reads a whole inbox")
            }
        }
    }

    func run() throws {
        let setup = plan.loadOrExit(status: 2)
        let validator = SubmissionValidator(registry: setup.registry, config: setup.config)
        let reports = files.map { validator.validate(path: $0, displayPath: $0) }
        var quality: [String: [QualityFlag]]?
        if let inbox {
            do {
                let standing = try InboxStanding(root: inbox, validator: validator)
                quality = Dictionary(reports.map { ($0.path, standing.flags(for: $0, registry: setup.registry)) }, uniquingKeysWith: { a, _ in a })
            } catch {
                StandardStream.error.write("edupipe: \(error)\n")
                Glibc.exit(2)
            }
        }
        switch format {
        case .text: StandardStream.output.write(ValidationReport.text(reports, language: setup.config.language, quality: quality ?? [:]))
        case .json: StandardStream.output.write(ValidationReport.json(reports, language: setup.config.language, quality: quality))
        }
        Glibc.exit(reports.allSatisfy(\.isValid) ? 0 : 1)
    }
}
