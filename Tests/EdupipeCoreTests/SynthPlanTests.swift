import Foundation
import Testing
@testable import EdupipeInput
@testable import EdupipeStandard
@testable import EdupipeRun
@testable import EdupipeSynth

/// The plan's `synth:` section: what `edupipe synth` draws is declared in
/// YAML, checked like the rest of the plan, and followed.
@Suite struct SynthPlanTests {
    static func refusal(_ yaml: String) -> String {
        let source = Fixtures.packageRoot + "/pipelines/bad.yaml"
        do { _ = try CompiledPlan.parse("plan: bad\nextends: basic-education-2022.yaml\n" + yaml, source: source) } catch { return "\(error)" }
        return "no error"
    }

    @Test(arguments: [
        ("synth:\n  datasets:\n    class_size:\n      values:\n        nothing: {range: 1..2}\n",
         "bad.yaml:7:9: synth.datasets.class_size.values: class_size has no field nothing"),
        ("synth:\n  datasets:\n    class_size:\n      values:\n        stage: {weights: {kindergarten: 1}}\n",
         "bad.yaml:7:27: synth.datasets.class_size.values.stage.weights: \"kindergarten\" is not one of the words of stage (primary, junior, senior)"),
        ("synth:\n  datasets:\n    class_size:\n      values:\n        students: {chance: 0.5}\n",
         "bad.yaml:7:28: synth.datasets.class_size.values.students.chance: students is a integer field: chance draws boolean values"),
        ("synth:\n  datasets:\n    class_size:\n      values:\n        stage: [{when: students > 40, weights: {primary: 1}}]\n",
         "bad.yaml:7:24: students comes after the field this condition belongs to"),
        ("synth:\n  datasets:\n    after_school:\n      values:\n        enrolled: {agrees_with: class_size.nothing, within: 0.9..1.1}\n",
         "bad.yaml:7:33: synth.datasets.after_school.values.enrolled.agrees_with: class_size.nothing is not dataset.measure of another dataset of the plan"),
        ("synth:\n  datasets:\n    after_school:\n      values:\n        enrolled: {agrees_with: class_size.classes, within: 0.9..1.1}\n",
         "bad.yaml:7:33: synth.datasets.after_school.values.enrolled.agrees_with: class_size.classes counts records"),
        ("synth:\n  datasets:\n    preschool: {records: schools}\n",
         "bad.yaml:5:5: synth.datasets: the plan has no dataset preschool"),
        ("synth:\n  faults:\n    - {name: x, field: class_size.stage, times: 3}\n",
         "bad.yaml:5:24: synth.faults.x.field: a fault multiplies an integer field"),
        ("synth:\n  schools: 120..60\n",
         "bad.yaml:4:12: synth.schools: expected a range"),
        ("synth:\n  datasets:\n    class_size:\n      values:\n        students: {agrees_with: after_school.enrolled, within: 0.9..1.1}\n",
         "synth.datasets: the values of"),
    ])
    func aWrongModelIsRefusedWithLineAndColumn(yaml: String, expected: String) {
        let said = Self.refusal(yaml)
        #expect(said.contains(expected), "\(said)")
    }

    /// The evaluator synth uses for `when:` and for the sums it agrees
    /// with, on both sides of each boundary, as the checker judges them.
    @Test func conditionsHoldAsTheCheckerJudges() throws {
        let after = Fixtures.config.datasetPlans.first { $0.dataset.rawValue == "after_school" }!
        // county, school, name, stage, enrolled, offers, participants, days, minutes, funding
        func record(offers: Int?, enrolled: Int, participants: Int) -> [Int?] { [nil, nil, nil, 0, enrolled, offers, participants, 5, 120, 1] }
        let given = [Bool](repeating: true, count: 10)
        let notOffering = try #require(after.rules.first { $0.when?.text == "not offers_service" }?.when)
        #expect(notOffering.holds(numbers: record(offers: 0, enrolled: 10, participants: 0), given: given, constants: after.constants))
        #expect(!notOffering.holds(numbers: record(offers: 1, enrolled: 10, participants: 0), given: given, constants: after.constants))
        #expect(!notOffering.holds(numbers: record(offers: nil, enrolled: 10, participants: 0), given: given, constants: after.constants))
        let atMost = try #require(after.rules.first { $0.check.text == "participants <= enrolled" }?.check)
        #expect(atMost.holds(numbers: record(offers: 1, enrolled: 10, participants: 10), given: given, constants: after.constants))
        #expect(!atMost.holds(numbers: record(offers: 1, enrolled: 10, participants: 11), given: given, constants: after.constants))

        let classes = Fixtures.config.datasetPlans.first { $0.dataset.rawValue == "class_size" }!
        // county, school, stage, grade, class_id, students
        let over = try #require(classes.measure(named: "over_standard")?.filter)
        #expect(over.holds(numbers: [nil, nil, 0, 1, nil, 46], given: [Bool](repeating: true, count: 6), constants: classes.constants))
        #expect(!over.holds(numbers: [nil, nil, 0, 1, nil, 45], given: [Bool](repeating: true, count: 6), constants: classes.constants))
        #expect(!over.holds(numbers: [nil, nil, 1, 7, nil, 50], given: [Bool](repeating: true, count: 6), constants: classes.constants))
        #expect(over.holds(numbers: [nil, nil, 1, 7, nil, 51], given: [Bool](repeating: true, count: 6), constants: classes.constants))
        let compulsory = try #require(classes.measure(named: "compulsory_students")?.filter)
        #expect(compulsory.holds(numbers: [nil, nil, 1, 7, nil, 51], given: [Bool](repeating: true, count: 6), constants: classes.constants))
        #expect(!compulsory.holds(numbers: [nil, nil, 2, 10, nil, 51], given: [Bool](repeating: true, count: 6), constants: classes.constants))
    }

    /// A plan author adds a collection and says, in YAML alone, how synth
    /// draws it: its files follow the model, school by school.
    @Test func aCollectionAddedInYAMLIsDrawnAsItsModelSays() throws {
        let yaml = """
            plan: test-synth
            extends: basic-education-2022.yaml
            datasets:
              - name: libraries
                zh: 图书室
                en: Libraries
                record: {zh: 学校, en: school}
                fields:
                  - {name: county_code, type: county_code}
                  - {name: school_id, type: school_id}
                  - {name: kind, type: enum, words: [city, rural]}
                  - {name: books, type: integer, range: 0..1000000}
                  - {name: label, type: text, max_length: 40}
                key: [school_id]
                key_message: {zh: "重复 {first}", en: "repeated {first}"}
                measures:
                  - {name: books, sum: books}
            synth:
              datasets:
                libraries:
                  records: schools
                  values:
                    kind: {weights: {city: 1}}
                    books: {agrees_with: class_size.compulsory_students, within: 2..2}
                    label: {template: "{kind} library {n}"}

            """
        let config = try CompiledPlan.parse(yaml, source: Fixtures.packageRoot + "/pipelines/test-synth.yaml")
        let inbox = Fixtures.tempDirectory("synth-yaml")
        defer { try? FileManager.default.removeItem(atPath: inbox) }
        var o = SyntheticInbox.Options(out: inbox, seed: 3, counties: 4, scale: 0.02, forms: [.csv], jobs: 2)
        o.periods = 1
        _ = try SyntheticInbox.write(o, registry: Fixtures.registry, config: config)
        func table(_ path: String) throws -> [[String: String]] {
            let bytes = try #require(FileManager.default.contents(atPath: path))
            let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
        }
        var checked = 0
        for path in try Inbox.list(inbox) where path.contains("_libraries_") {
            let libraries = try table(inbox + "/" + path)
            let classes = try table(inbox + "/" + path.replacingOccurrences(of: "_libraries_", with: "_class_size_"))
            let after = try table(inbox + "/" + path.replacingOccurrences(of: "_libraries_", with: "_after_school_"))
            #expect(libraries.count == after.count && !libraries.isEmpty)
            for (i, row) in libraries.enumerated() {
                let school = try #require(row["school_id"])
                let pupils = classes.filter { $0["school_id"] == school && $0["stage"] != "senior" }.reduce(0) { $0 + Int($1["students"]!)! }
                #expect(row["kind"] == "city" && row["books"] == String(2 * pupils) && row["label"] == "city library \(i + 1)", "\(row)")
                checked += 1
            }
        }
        #expect(checked > 0)
        // And the run accepts every file synth wrote.
        let out = Fixtures.tempDirectory("synth-yaml-out")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try NightlyRun(setup: Setup(config: config, registry: Fixtures.registry),
                                    options: RunOptions(inbox: inbox, out: out, jobs: 2, stateDirectory: out + "/.s",
                                                        environment: ["EDUPIPE_KEY": String(repeating: "01", count: 16)])).execute()
        #expect(result.submissions.count == 16 && result.submissions.allSatisfy { $0.status == .accepted })
    }
}
