import EdupipeStandard
import EdupipeAggregate
import EdupipeSupport

/// Loads what every command needs: the plan configuration and the registry,
/// from the given paths or the shipped ones.
public struct Setup: Sendable {
    public var config: CompiledPlan
    /// The registry, scoped when the command was given `--scope`.
    public var registry: Registry
    /// Where the plan and the registry were read from, for the run ledger.
    public var pipelinePath: String?
    public var registryPath: String?

    public init(config: CompiledPlan, registry: Registry, pipelinePath: String? = nil, registryPath: String? = nil) {
        self.config = config
        self.registry = registry
        self.pipelinePath = pipelinePath
        self.registryPath = registryPath
    }

    public static func load(pipeline: String?, registry: String?) throws -> Setup {
        guard let pipelinePath = pipeline ?? Installation.locate(Installation.defaultPipeline) else {
            throw EdupipeError(.notFound, "cannot find the shipped plan \(Installation.defaultPipeline) beside the executable: give --pipeline PATH or set EDUPIPE_HOME")
        }
        guard let registryPath = registry ?? Installation.locate(Installation.defaultRegistry) else {
            throw EdupipeError(.notFound, "cannot find the shipped registry \(Installation.defaultRegistry) beside the executable: give --registry PATH or set EDUPIPE_HOME")
        }
        let config = try CompiledPlan.load(path: pipelinePath)
        let registry = try Registry.load(path: registryPath)
        return Setup(config: config, registry: registry, pipelinePath: pipelinePath, registryPath: registryPath)
    }
}
