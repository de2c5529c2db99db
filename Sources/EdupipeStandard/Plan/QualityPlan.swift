import EdupipeInput

/// The plan's checks across periods, among neighbours and between
/// collections (standard, section 8), compiled: which measures and
/// indicators each check reads, its thresholds as exact fractions, and what
/// it says to people. A quality flag never rejects a file and never changes
/// an indicator.
public struct QualityPlan: Sendable {
    /// A decimal of the plan kept exactly: `numerator / scale`, scale a power
    /// of ten; `text` as the plan wrote it (without trailing zeros).
    public struct Decimal: Sendable, Equatable {
        public let numerator: Int
        public let scale: Int
        public let text: String
    }

    /// A county measure named by a check: a dataset's measure (a split one
    /// means all its variants), summed from the county's file in force.
    public struct MeasureRef: Sendable {
        /// `dataset.measure`, as quality.csv names the subject.
        public let subject: String
        public let dataset: Dataset
        /// Slots within the dataset's own totals (`DatasetTotals.values`).
        public let slots: [Int]
        public let names: DisplayName

        /// The measure's value in one file's totals.
        public func value(_ totals: DatasetTotals) -> Int {
            slots.reduce(0) { $0 + (totals.values.indices.contains($1) ? totals.values[$1] : 0) }
        }
    }

    /// Consistency over time: a measure that changed by more than `change`
    /// (a fraction of the previous file's value) since the previous period.
    public struct OverTime: Sendable {
        public let change: Decimal
        public let measures: [MeasureRef]
        public let message: DisplayName
    }

    /// Outliers among peers: a county whose modified z-score among the
    /// counties of its province passes `modifiedZ`, when there are at least
    /// `minPeers` of them.
    public struct Outlier: Sendable {
        public let minPeers: Int
        public let modifiedZ: Decimal
        /// Indicators (catalog names) whose county values are compared.
        public let indicators: [String]
        public let message: DisplayName
    }

    /// Consistency between related data: `numerator / denominator` of one
    /// county's two collections outside [`low`, `high`].
    public struct Related: Sendable {
        public let name: String
        public let numerator: MeasureRef
        public let denominator: MeasureRef
        public let low: Decimal
        public let high: Decimal
        public let names: DisplayName
        public let message: DisplayName
    }

    public var overTime: OverTime?
    public var outlier: Outlier?
    public var related: [Related] = []

    public init() {}

    public var isEmpty: Bool { overTime == nil && outlier == nil && related.isEmpty }
}
