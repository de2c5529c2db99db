/// The three datasets of section 3 of the standard.
public enum Dataset: String, Sendable, CaseIterable, Comparable, Codable {
    case afterSchool = "after_school"
    case dropout = "dropout"
    case classSize = "class_size"

    public var schema: DatasetSchema {
        switch self {
        case .afterSchool: DatasetSchema.afterSchool
        case .dropout: DatasetSchema.dropout
        case .classSize: DatasetSchema.classSize
        }
    }

    /// Whether a file with no records is valid (`dropout`: "zero dropouts").
    public var mayBeEmpty: Bool { self == .dropout }

    public static func < (lhs: Dataset, rhs: Dataset) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The columns of one dataset, in the order of section 3: errors within a
/// record are reported in this order.
public struct DatasetSchema: Sendable {
    public struct Field: Sendable {
        public let name: String
        /// Required in every record (`resolved_on` is required only for some
        /// statuses, which its rule checks).
        public let required: Bool
    }

    public let fields: [Field]

    public func index(of name: some Sequence<UInt8>) -> Int? {
        fields.firstIndex { $0.name.utf8.elementsEqual(name) }
    }

    public var requiredNames: [String] { fields.filter(\.required).map(\.name) }

    static let afterSchool = DatasetSchema(fields: [
        .init(name: "county_code", required: true),
        .init(name: "school_id", required: true),
        .init(name: "school_name", required: false),
        .init(name: "stage", required: true),
        .init(name: "enrolled", required: true),
        .init(name: "offers_service", required: true),
        .init(name: "participants", required: true),
        .init(name: "days_per_week", required: true),
        .init(name: "minutes_per_day", required: true),
        .init(name: "funding_secured", required: true),
    ])

    static let dropout = DatasetSchema(fields: [
        .init(name: "county_code", required: true),
        .init(name: "student_id", required: true),
        .init(name: "school_id", required: false),
        .init(name: "grade", required: true),
        .init(name: "identified_on", required: true),
        .init(name: "status", required: true),
        .init(name: "resolved_on", required: false),
        .init(name: "reason", required: false),
    ])

    static let classSize = DatasetSchema(fields: [
        .init(name: "county_code", required: true),
        .init(name: "school_id", required: true),
        .init(name: "stage", required: true),
        .init(name: "grade", required: true),
        .init(name: "class_id", required: true),
        .init(name: "students", required: true),
    ])
}
