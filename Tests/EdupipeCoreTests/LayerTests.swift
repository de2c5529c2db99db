import Foundation
import Testing

/// The stages are SwiftPM targets (Package.swift), each depending on the
/// ones before it, so the compiler refuses a type of a later stage and
/// SwiftPM refuses a dependency that would close a cycle. What neither
/// sees: an `import` of a module the target does not list, which an
/// incremental build may still find among the modules already built. This
/// test reads every `import` of every stage.
@Suite struct LayerTests {
    static let stages = [
        "EdupipeSupport", "EdupipeInput", "EdupipeStandard", "EdupipeAggregate",
        "EdupipeOutput", "EdupipeRun", "EdupipeServe",
    ]

    /// The module names each Swift file of a target imports.
    func imports(_ target: String) throws -> [(file: String, module: String)] {
        let root = Fixtures.packageRoot + "/Sources/" + target
        let importLine = /(?m)^\s*(?:@\w+\s+)*import\s+(?:(?:struct|enum|class|func|var|let|protocol|typealias)\s+)?(\w+)/
        return try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".swift") }.sorted()
            .flatMap { file in
                let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
                return text.matches(of: importLine).map { (target + "/" + file, String($0.1)) }
            }
    }

    /// The imports that point forward: a stage naming a later stage, the
    /// generator or the executable, or the generator naming Run or Serve.
    static func forward(_ imports: [(stage: String, file: String, module: String)]) -> [String] {
        imports.compactMap { entry in
            let later: Set<String>
            if entry.stage == "EdupipeSynth" {
                later = ["EdupipeRun", "EdupipeServe", "edupipe"]
            } else if let i = stages.firstIndex(of: entry.stage) {
                later = Set(stages[(i + 1)...]).union(["EdupipeSynth", "edupipe"])
            } else {
                return nil
            }
            return later.contains(entry.module) ? "\(entry.file) imports \(entry.module)" : nil
        }
    }

    @Test func noStageImportsALaterOne() throws {
        var all: [(stage: String, file: String, module: String)] = []
        for stage in Self.stages + ["EdupipeSynth"] {
            all += try imports(stage).map { (stage, $0.file, $0.module) }
        }
        #expect(all.count > 100)
        #expect(Self.forward(all) == [])
    }

    @Test func aForwardImportIsFound() {
        let wrong: [(stage: String, file: String, module: String)] = [
            ("EdupipeInput", "EdupipeInput/Inbox.swift", "EdupipeRun"),
            ("EdupipeInput", "EdupipeInput/Inbox.swift", "EdupipeSupport"),
            ("EdupipeStandard", "EdupipeStandard/Issue.swift", "EdupipeSynth"),
            ("EdupipeSynth", "EdupipeSynth/SynthRandom.swift", "EdupipeOutput"),
            ("EdupipeSynth", "EdupipeSynth/SynthRandom.swift", "EdupipeRun"),
            ("EdupipeServe", "EdupipeServe/Server.swift", "EdupipeRun"),
        ]
        #expect(Self.forward(wrong) == [
            "EdupipeInput/Inbox.swift imports EdupipeRun",
            "EdupipeStandard/Issue.swift imports EdupipeSynth",
            "EdupipeSynth/SynthRandom.swift imports EdupipeRun",
        ])
    }
}
