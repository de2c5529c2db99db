import EdupipeInput

/// One error or warning found in a file: where it is and what would be right.
///
/// `line` is the line where the record starts (CSV) or the line of its
/// `<record>` (XML); `column` is the column or field name of the standard
/// (`grade`, `student_id`), or the XML attribute of the root. Either is nil
/// where it does not apply (a corrupt gzip stream has neither).
public struct Issue: Sendable, Equatable, CustomStringConvertible {
    public var code: IssueCode
    public var line: Int?
    /// Set only through `init`, which masks resident IDs in it.
    public private(set) var column: String?
    public private(set) var message: String

    public init(_ code: IssueCode, line: Int? = nil, column: String? = nil, _ message: String) {
        self.code = code
        self.line = line
        // Whatever a file put where: a header cell or a value quoted in a
        // message may be a child's ID (section 6).
        self.column = column.map(ResidentIDMask.scrub)
        self.message = ResidentIDMask.scrub(message)
    }

    public var isWarning: Bool { code.isWarning }

    public var description: String {
        var place = ""
        if let line { place += "line \(line)" }
        if let column { place += place.isEmpty ? "column \(column)" : ", column \(column)" }
        return place.isEmpty ? "\(code.rawValue): \(message)" : "\(place): \(code.rawValue): \(message)"
    }
}
