@testable import EdupipeInput
@testable import EdupipeStandard


/// The 2022 plan's datasets by the names tests use.
extension Dataset {
    static let afterSchool = Fixtures.config.datasets.named("after_school")!
    static let dropout = Fixtures.config.datasets.named("dropout")!
    static let classSize = Fixtures.config.datasets.named("class_size")!
}

extension CompiledPlan {
    /// Each indicator's default target, by name, where it has one.
    var targets: [String: Target] {
        var t: [String: Target] = [:]
        for e in catalog.entries { if let base = e.target.base { t[e.name] = base } }
        return t
    }
}

extension SubmissionName {
    /// A name parsed under the 2022 plan.
    static func parse(_ fileName: String) -> SubmissionName? { parse(fileName, datasets: Fixtures.config.datasets) }
}
