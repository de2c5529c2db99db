import Foundation
import Testing
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeRun

@Suite struct SetupTests {
    @Test func registryHasTheCountsOfThe2022Vintage() {
        let r = Fixtures.registry
        #expect(r.provinces.count == 31)
        #expect(r.prefectures.count == 333)
        #expect(r.counties.count == 2854)
        #expect(r.isCounty("110101"))
        #expect(!r.isCounty("110100"))
        #expect(r.prefecture(of: "429004") == nil)
        #expect(r.province(of: "429004") == "420000")
        #expect(r.prefecture(of: "110101") == "110100")
        #expect(r.province(of: "441900") == "440000")
    }

    /// The shipped registry is the 2022 vintage the standard names, byte
    /// for byte: its SHA-256 is that of the data office's copy, checked
    /// here without needing that copy beside the repository.
    @Test func shippedRegistryIsTheVintageOfTheStandard() throws {
        let identity = try #require(FileIdentity.of(path: Fixtures.packageRoot + "/samples/registry/divisions.csv"))
        #expect(identity.hex == "6235eb995af36f5c9b8d1d1234b0575d4c5cf9e10ad1c2f6bb251422f1e31a5a")
    }

    @Test func shippedPlanHasTheDefaultTargets() {
        let c = Fixtures.config
        #expect(c.maxDecompressedBytes == 1 << 30)
        #expect(c.targets["class_size.large_share.primary"]?.text == "<=0.05")
        #expect(c.targets["class_size.large_share.senior"]?.text == "<=0")
        #expect(c.targets["class_size.large_share.all"] == nil)
        #expect(c.targets["dropout.outstanding"]?.text == "<=0")
        #expect(c.targets["after_school.student_participation"] == nil)
        #expect(c.targets.count == 16)
        #expect(c.deadlines["2022-autumn"] == "2022-12-31")
    }

    /// A plan that extends the shipped one with `yaml`.
    func error(_ yaml: String) -> String {
        do {
            _ = try CompiledPlan.parse("extends: basic-education-2022.yaml\n" + yaml, source: Fixtures.packageRoot + "/pipelines/bad.yaml")
            return "no error"
        } catch {
            return "\(error)".replacingOccurrences(of: Fixtures.packageRoot + "/", with: "")
        }
    }

    @Test func badConfigurationsNameTheKeyAndTheFile() {
        #expect(error("plan: x\n") == "no error")
        let e1 = error("plan: x\nlimits:\n  max_decompressed_bytes: lots\n")
        #expect(e1 == "pipelines/bad.yaml:4:27: limits.max_decompressed_bytes: expected a positive whole number (bytes or a count), found lots")
        let e2 = error("plan: x\ntargets:\n  class_size.huge_share.all: \"<=0\"\n")
        #expect(e2 == "pipelines/bad.yaml:4:3: targets.class_size.huge_share.all: a target on nothing: the plan has no indicator class_size.huge_share.all")
        let e3 = error("plan: x\ntargets:\n  dropout.outstanding: \"< 0\"\n")
        #expect(e3.hasPrefix("pipelines/bad.yaml:4:24: targets.dropout.outstanding: expected a target such as"))
        let e4 = error("plan: x\nlimit: {}\n")
        #expect(e4.hasPrefix("pipelines/bad.yaml:3:1: limit: unknown key"))
        #expect(error("limits: {}\n") == "no error") // the extended plan names it
        #expect(error("plan: x\nperiods:\n  2022-autumn:\n    deadline: 2022-13-01\n").contains("periods.2022-autumn.deadline"))
        #expect(error("plan: [x\n").contains("not valid YAML"))
    }

    @Test func installationFindsTheShippedFilesFromTheExecutable() {
        // The test runner lives under .build, inside the package checkout.
        #expect(Installation.locate(Installation.defaultPipeline) != nil)
        #expect(Installation.locate(Installation.defaultRegistry) != nil)
    }
}
