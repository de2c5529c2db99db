/// A dataset of the plan, as file names carry it (`class_size`): its name
/// and its place in the plan's list, which indexes per-dataset arrays.
///
/// Names are what identify a dataset: two plans that both declare
/// `dropout` mean the same collection, wherever it stands in their lists.
public struct Dataset: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String
    /// Position in the plan's `datasets:` list.
    public let index: Int

    public init(rawValue: String, index: Int) {
        self.rawValue = rawValue
        self.index = index
    }

    public var description: String { rawValue }

    public static func == (a: Dataset, b: Dataset) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }
    public static func < (lhs: Dataset, rhs: Dataset) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Array where Element == Dataset {
    /// The dataset named `name`, if the plan has one.
    public func named(_ name: String) -> Dataset? { first { $0.rawValue == name } }
}
