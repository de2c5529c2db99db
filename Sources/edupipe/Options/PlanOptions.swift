import ArgumentParser
import EdupipeCore

/// The plan and registry every command reads, shipped ones by default.
struct PlanOptions: ParsableArguments {
    @Option(help: "Plan configuration (default: the shipped pipelines/basic-education-2022.yaml).")
    var pipeline: String?

    @Option(help: "Registry of divisions (default: the shipped samples/registry/divisions.csv).")
    var registry: String?

    func load() throws -> Setup {
        try Setup.load(pipeline: pipeline, registry: registry)
    }
}
