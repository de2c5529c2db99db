import ArgumentParser
import EdupipeCore
#if canImport(Glibc)
import Glibc
#endif

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check submission files against the standard before uploading them.",
        discussion: "Exit status: 0 every file accepted, 1 any file rejected, 2 usage or configuration error."
    )

    enum Format: String, ExpressibleByArgument { case text, json }

    @Argument(help: "Submission files (.csv, .csv.gz, .xml, .xml.gz).")
    var files: [String]

    @OptionGroup var plan: PlanOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

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
        switch format {
        case .text: FileHandle.standardOutput.write(ValidationReport.text(reports, language: setup.config.language))
        case .json: FileHandle.standardOutput.write(ValidationReport.json(reports))
        }
        Glibc.exit(reports.allSatisfy(\.isValid) ? 0 : 1)
    }
}
