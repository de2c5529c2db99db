/// A condition of the plan over one record's fields, such as
/// `offers_service and days_per_week >= 5` or `status != out`, compiled to
/// a postfix program of plain values that the record checker runs with no
/// allocation, lookup or reference count.
public struct Condition: Sendable {
    /// The text as the plan wrote it.
    public let text: String
    let ops: [ConditionOp]
    /// Fields whose values must be valid for the condition to be judged:
    /// a rule on a value that is missing or wrong is not checked (that
    /// value has its own error already).
    let needs: UInt64
    /// The fields it names, in order of first mention.
    public let fields: [Int]
}

/// One step of a condition's program.
enum ConditionOp: Sendable {
    enum Comparison: UInt8, Sendable { case eq, ne, lt, le, gt, ge }
    case constant(field: Int, Comparison, Int)
    case fields(Int, Comparison, Int)
    /// A boolean field that is valid and true.
    case isTrue(Int)
    /// `low <= field <= high` (what `f >= low and f <= high` compiles to).
    case between(field: Int, Int, Int)
    /// A field compared with a constant that depends on an enumeration's
    /// word (`students > standard_size`): the constant's index.
    case lookup(field: Int, Comparison, constant: Int)
    /// The field has a value (valid or not).
    case given(Int)
    case and, or, not
}

/// A whole number of the plan that depends on an enumeration's word, such
/// as the standard class size of each stage.
public struct ConstantSpec: Sendable {
    public let name: String
    /// The enumeration field.
    public let field: Int
    /// One value per word, in the words' order.
    public let values: [Int]
}
