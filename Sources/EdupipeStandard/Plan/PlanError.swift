/// A mistake in a plan file, at the line and column where it stands:
/// `edupipe` refuses the plan (exit 2) and says what would be right.
public struct PlanError: Error, CustomStringConvertible, Sendable {
    public let source: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(source: String, line: Int?, column: Int?, _ message: String) {
        self.source = source
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var place = source
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(message)"
    }
}
