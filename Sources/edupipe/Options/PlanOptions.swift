import ArgumentParser
import EdupipeCore
#if canImport(Glibc)
import Glibc
#endif

/// The plan and registry every command reads, shipped ones by default.
struct PlanOptions: ParsableArguments {
    @Option(help: "Plan configuration (default: the shipped pipelines/basic-education-2022.yaml).")
    var pipeline: String?

    @Option(help: "Registry of divisions (default: the shipped samples/registry/divisions.csv).")
    var registry: String?

    /// The plan and registry, or the reason they cannot be read on stderr
    /// and an exit with `status` (each command documents its own).
    func loadOrExit(status: Int32) -> Setup {
        do {
            return try Setup.load(pipeline: pipeline, registry: registry)
        } catch {
            FileHandle.standardError.write("edupipe: \(error)\n")
            Glibc.exit(status)
        }
    }
}
