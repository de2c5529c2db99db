import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import EdupipeStandard
import EdupipeRun
import EdupipeSupport

/// The plan and registry every command reads, shipped ones by default, and
/// the language people read.
struct PlanOptions: ParsableArguments {
    @Option(help: "Plan configuration (default: the shipped pipelines/basic-education-2022.yaml).")
    var pipeline: String?

    @Option(help: "Registry of divisions (default: the shipped samples/registry/divisions.csv).")
    var registry: String?

    @Option(help: "Language of messages: zh or en (default: Chinese when LC_ALL or LANG starts with zh).")
    var lang: LanguageOption?

    /// The plan and registry, or the reason they cannot be read on stderr
    /// and an exit: 2 for a plan that is wrong (its line and column are
    /// named), else `status` (each command documents its own).
    func loadOrExit(status: Int32) -> Setup {
        do {
            var setup = try Setup.load(pipeline: pipeline, registry: registry)
            setup.config.language = language
            return setup
        } catch let error as PlanError {
            StandardStream.error.write("edupipe: \(error)\n")
            Glibc.exit(2)
        } catch {
            StandardStream.error.write("edupipe: \(error)\n")
            Glibc.exit(status)
        }
    }

    var language: Language { lang?.value ?? Language.from(environment: Environment.current) }

    /// As `loadOrExit(status:)`, with the registry scoped to `scope` (exit
    /// 2 when it names no province or prefecture).
    func loadOrExit(status: Int32, scope: String?) -> Setup {
        var setup = loadOrExit(status: status)
        if let scope {
            do {
                setup.registry = try setup.registry.scoped(to: scope)
            } catch {
                StandardStream.error.write("edupipe: \(error)\n")
                Glibc.exit(2)
            }
        }
        return setup
    }
}

/// `--scope UNIT`: a province's or prefecture's office working on its own
/// counties.
struct ScopeOption: ParsableArguments {
    @Option(help: "Cover only this province or prefecture (42, 420000, 420100) and the units under it: its reporting rates, tables and report, with it as the top row; files of other counties are rejected (E_OUT_OF_SCOPE). Default: the nation.")
    var scope: String?
}

/// `--lang zh|en`.
struct LanguageOption: ExpressibleByArgument {
    let value: Language
    init?(argument: String) {
        guard let l = Language(rawValue: argument.lowercased()) else { return nil }
        value = l
    }
}

/// The process environment, read once.
enum Environment {
    static var current: [String: String] { ProcessInfo.processInfo.environment }
}
