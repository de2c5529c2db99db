/// One field of a dataset as the plan declares it: its type (one of the
/// standard's value types, section 1.6), whether it is required, its range
/// or words, and the conditional ranges and requirements that depend on an
/// earlier field of the same record.
public struct FieldSpec: Sendable {
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// code6 that must equal the file's county (`E_COUNTY_MISMATCH`).
        case countyCode
        case schoolID
        /// A child's resident ID (GB 11643): masked wherever it is shown.
        case residentID
        case integer
        case boolean
        case date
        /// One of a list of words.
        case enumeration
        case text

        /// The plan file's word for the type.
        public var word: String {
            switch self {
            case .countyCode: "county_code"
            case .schoolID: "school_id"
            case .residentID: "resident_id"
            case .integer: "integer"
            case .boolean: "boolean"
            case .date: "date"
            case .enumeration: "enum"
            case .text: "text"
            }
        }

        /// Whether `<`, `<=`, `>`, `>=` compare two values of the type.
        var isOrdered: Bool { self == .integer || self == .date }
    }

    /// A range that applies when a condition on earlier fields holds (or,
    /// with no condition, when no earlier entry applied).
    public struct ConditionalRange: Sendable {
        public let when: Condition?
        public let range: ClosedRange<Int>
        public let message: MessageTemplate
    }

    public let name: String
    public let kind: Kind
    public let required: Bool
    /// Integers: the allowed values. Text: the allowed length in characters.
    public let range: ClosedRange<Int>?
    /// Enumerations: the words, in the plan's order.
    public let words: [String]
    /// Optional fields that are required when a condition holds.
    public let requiredWhen: Condition?
    public let requiredMessage: MessageTemplate?
    public let ranges: [ConditionalRange]
    /// What the field means, for the format guide.
    public let note: DisplayName?
    /// A value for the guide's examples and the templates.
    public let example: String?
}
