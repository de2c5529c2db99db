/// The stable identifiers of section 2 of the submission standard, plus the
/// warning codes edupipe adds (they all start with `W_` and never reject).
public enum IssueCode: String, Sendable, CaseIterable, Comparable {
    // File-level errors.
    case filename = "E_FILENAME"
    case gzip = "E_GZIP"
    case tooLarge = "E_TOO_LARGE"
    case encoding = "E_ENCODING"
    case csvSyntax = "E_CSV_SYNTAX"
    case xmlSyntax = "E_XML_SYNTAX"
    case xmlDTD = "E_XML_DTD"
    case header = "E_HEADER"
    case metadata = "E_METADATA"
    case empty = "E_EMPTY"
    case unknownCounty = "E_UNKNOWN_COUNTY"
    case revisionConflict = "E_REVISION_CONFLICT"
    /// Not in the standard: a county of the registry outside the unit a
    /// scoped run or intake covers (`--scope`): another office's file.
    case outOfScope = "E_OUT_OF_SCOPE"
    // Row-level errors.
    case required = "E_REQUIRED"
    case type = "E_TYPE"
    case range = "E_RANGE"
    case enumeration = "E_ENUM"
    case duplicateKey = "E_DUPLICATE_KEY"
    case countyMismatch = "E_COUNTY_MISMATCH"
    case checksum = "E_CHECKSUM"
    case rule = "E_RULE"
    case fieldCount = "E_FIELD_COUNT"
    /// Not in the standard: the file could not be opened or read at all
    /// (permissions, a file that vanished during the run).
    case unreadable = "E_UNREADABLE"
    /// Not in the standard: reading this file stopped edupipe in a run, and
    /// again in a separate check, so it is set aside for the night to go on
    /// (a fault of edupipe's to report, not necessarily of the file).
    case readerCrash = "E_READER_CRASH"
    // Warnings.
    case unknownColumn = "W_UNKNOWN_COLUMN"
    case unknownElement = "W_UNKNOWN_ELEMENT"
    case errorsNotListed = "W_ERRORS_NOT_LISTED"

    /// Warnings are reported but never reject a file.
    public var isWarning: Bool { rawValue.hasPrefix("W_") }

    public static func < (lhs: IssueCode, rhs: IssueCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
