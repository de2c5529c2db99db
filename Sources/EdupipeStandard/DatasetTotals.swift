import EdupipeInput

/// What one valid file contributes to the indicators: its measures' slots
/// (as the dataset's plan lays them out) and, for a dataset with a linked
/// field, the children's IDs in numeric form (turned into keyed hashes on
/// the worker and never written anywhere).
public struct DatasetTotals: Sendable, Equatable {
    public let dataset: Dataset
    public var values: [Int]
    public var linked: [UInt64]

    public init(dataset: Dataset, values: [Int], linked: [UInt64] = []) {
        self.dataset = dataset
        self.values = values
        self.linked = linked
    }
}
