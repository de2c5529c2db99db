import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport
import EdupipeInput
import EdupipeStandard

/// `edupipe check-file`, hidden: reads one file in a process of its own for
/// a run that found it left in hand by a run that died (`CrashIsolation`).
/// The path comes as hex, since it may be any bytes. Exit 0 when the file
/// was read (valid or not); dying on it is the answer the run looks for.
struct CheckFile: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-file",
        abstract: "Read one file in a process of its own (used by run).",
        shouldDisplay: false
    )

    @Option(help: "The file's path, as hexadecimal bytes.")
    var pathHex: String

    @OptionGroup var plan: PlanOptions

    func run() throws {
        guard let bytes = decodeHex(pathHex) else { throw ValidationError("--path-hex takes an even number of hexadecimal digits") }
        let setup = plan.loadOrExit(status: 2)
        let raw = RawPath(bytes: bytes)
        _ = SubmissionValidator(registry: setup.registry, config: setup.config)
            .validate(raw: raw, displayPath: raw.display)
    }
}
