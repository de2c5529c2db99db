import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import EdupipeRun
import EdupipeSupport

@main
struct Edupipe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edupipe",
        abstract: "Validate and aggregate county basic-education submissions.",
        subcommands: [Run.self, Validate.self, Status.self, History.self, Export.self, Serve.self, Accounts.self, Plan.self, Template.self, Synth.self, CheckFile.self]
    )

    /// Usage errors exit with 2, as the documentation promises (the
    /// argument parser's own default is 64).
    static func main() {
        // A crash dies at once, printing nothing: the runtime's backtracer
        // would dump registers and memory to stderr (cron's mail), and
        // those bytes can hold a child's resident ID from the record being
        // read. The next run finds the file the crash left in hand.
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT] { signal(sig, SIG_DFL) }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            if code.rawValue == 64 || error is ValidationError {
                StandardStream.error.write(fullMessage(for: error) + "\n")
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}
