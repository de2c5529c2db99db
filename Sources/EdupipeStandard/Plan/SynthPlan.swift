/// What `edupipe synth` needs to draw a realistic inbox for the plan, read
/// from its `synth:` section: how many schools a county has, how counts
/// drift between periods, how a county breaks its files on purpose, and per
/// dataset how many records a county sends and how each field's values are
/// drawn. Nothing here changes validation or aggregation: a plan without
/// the section still gets an inbox, drawn from each field's type alone.
public struct SynthPlan: Sendable {
    /// Schools per county at scale 1.
    public var schools: ClosedRange<Int> = 60...120
    /// Percent, up or down, a county's counts move from one period to the next.
    public var drift = 3
    /// Ways a county breaks its last period's files (`--break-share`).
    public var faults: [Fault] = []
    /// Models by dataset index; a dataset without one is drawn from its types.
    public var models: [Int: Model] = [:]
    /// Every dataset's index, each after the datasets its values agree
    /// with: the order they are drawn in (the plan's, where none agree).
    public var order: [Int] = []

    public init() {}

    /// One way of getting a file wrong, as clerks do.
    public struct Fault: Sendable {
        public let name: String
        /// Every count of the county times this (part of the schools sent).
        public let scale: Double?
        /// A field multiplied after the collections agree (pupils typed per
        /// grade instead of per class): dataset index and field index.
        public let field: (dataset: Int, field: Int)?
        public let times: Int
    }

    /// How the records of one dataset are drawn.
    public struct Model: Sendable {
        public enum Count: Sendable {
            /// One record per school of the county (school n is record n).
            case schools
            /// Drawn per county and period.
            case range(ClosedRange<Int>)
        }
        public var count: Count = .schools
        /// Whether the count follows `--scale`, the drift and a partial fault.
        public var scaled = true
        /// The share of counties that send an empty file.
        public var none = 0.0
        /// Every k-th county also lists the first linked record of the
        /// county before it (a child listed by two counties).
        public var sharedEvery: Int?
        /// Per field index, the ways its value is drawn: the first whose
        /// condition holds applies; none declared, the field's type decides.
        public var values: [Int: [Generator]] = [:]
        /// Datasets whose records this one's values follow (`agrees_with`),
        /// drawn first.
        public var follows: [Int] = []

        public init() {}
    }

    /// One way a field's value is drawn, applied when `when` holds.
    public struct Generator: Sendable {
        public let when: Condition?
        /// The chance an optional field has a value at all.
        public let given: Double?
        public let draw: Draw
    }

    public enum Draw: Sendable {
        /// Exactly this text.
        case literal(String)
        /// A boolean, true with this chance.
        case chance(Double)
        /// One of the words (or whole numbers), by weight.
        case weights([(word: String, weight: Int)])
        /// A whole number, each equally likely.
        case uniform(ClosedRange<Int>)
        /// A whole number near a mean (one per word of field `by`), kept within bounds.
        case around(by: Int?, means: [Double], spread: Double, within: ClosedRange<Int>)
        /// A share (percent, low to high) of an earlier integer field.
        case share(of: Int, percent: ClosedRange<Int>)
        /// The school's sum of another dataset's measure (`sum:` with its
        /// condition), times a percent from low to high: collections that agree.
        case agrees(dataset: Int, measure: Int, percent: ClosedRange<Int>)
        /// A day of the period's year, from month-day to month-day.
        case dates(from: Int, to: Int)
        /// A resident ID of a child of this age.
        case ages(ClosedRange<Int>)
        /// Text with `{n}`, `{round}`, `{county}`, `{county_name}` and the
        /// record's other fields filled in (their words through `labels`); every
        /// `every`-th record gets `append` after it.
        case template(String, labels: [String: String], append: String, every: Int)
        /// One of the county's schools at random (not the record's own).
        case randomSchool
        /// What the field's type alone gives.
        case typed
    }
}
