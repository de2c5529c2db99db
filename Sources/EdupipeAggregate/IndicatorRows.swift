/// The rows of one period's indicator table, held by column: a unit index,
/// an entry, a status and two 32-bit values, 15 bytes a row where an array
/// of `IndicatorRow` takes 32. A national night over three periods holds
/// 270,000 rows until its outputs are written; held this way they take
/// 4 MB instead of 8.7 (issue 21's memory goal). A value that does not fit
/// 32 bits is kept exactly beside them: nothing is rounded.
///
/// Reading a row gives an `IndicatorRow`, made on demand.
public struct IndicatorRows: RandomAccessCollection, Sendable {
    /// Immutable once built: one reference, so that a unit's slice of the
    /// rows is small (`PeriodTables` holds one per unit).
    private final class Storage: Sendable {
        let units: [IndicatorUnit]
        let unitIndex: [UInt32]
        let entries: [UInt16]
        let statuses: [IndicatorRow.Status]
        let numerators: [Int32]
        let denominators: [Int32]
        /// Values that do not fit 32 bits, by row.
        let wide: [Int: (numerator: Int, denominator: Int?)]

        init(_ b: Builder) {
            units = b.units
            unitIndex = b.unitIndex
            entries = b.entries
            statuses = b.statuses
            numerators = b.numerators
            denominators = b.denominators
            wide = b.wide
        }
    }

    /// Marks a value kept in `wide`.
    fileprivate static let wideMark = Int32.min
    /// A count indicator's denominator (none).
    fileprivate static let noDenominator = Int32(-1)

    private let storage: Storage

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.entries.count }

    public subscript(i: Int) -> IndicatorRow {
        let s = storage
        let (numerator, denominator) = values(at: i)
        return IndicatorRow(unit: s.units[Int(s.unitIndex[i])], entry: Int(s.entries[i]),
                            numerator: numerator, denominator: denominator, status: s.statuses[i])
    }

    /// Row `i`'s unit, without making the row.
    public func unit(at i: Int) -> IndicatorUnit { storage.units[Int(storage.unitIndex[i])] }

    /// Row `i`'s catalog entry, without making the row.
    public func entry(at i: Int) -> Int { Int(storage.entries[i]) }

    /// Whether rows `i` and `j` belong to one unit.
    public func sameUnit(_ i: Int, _ j: Int) -> Bool { storage.unitIndex[i] == storage.unitIndex[j] }

    private func values(at i: Int) -> (Int, Int?) {
        let s = storage
        let n = s.numerators[i], d = s.denominators[i]
        if n == Self.wideMark || d == Self.wideMark, let w = s.wide[i] { return w }
        return (Int(n), d == Self.noDenominator ? nil : Int(d))
    }

    /// No rows.
    public init() { self = Builder(capacity: 0).finish() }

    fileprivate init(storage b: Builder) { storage = Storage(b) }

    /// Collects rows unit by unit: a unit's rows are appended together.
    public struct Builder {
        fileprivate var units: [IndicatorUnit] = []
        fileprivate var unitIndex: [UInt32] = []
        fileprivate var entries: [UInt16] = []
        fileprivate var statuses: [IndicatorRow.Status] = []
        fileprivate var numerators: [Int32] = []
        fileprivate var denominators: [Int32] = []
        fileprivate var wide: [Int: (numerator: Int, denominator: Int?)] = [:]

        /// Room for `capacity` rows, reserved once.
        public init(capacity: Int) {
            unitIndex.reserveCapacity(capacity)
            entries.reserveCapacity(capacity)
            statuses.reserveCapacity(capacity)
            numerators.reserveCapacity(capacity)
            denominators.reserveCapacity(capacity)
        }

        public mutating func append(unit: IndicatorUnit, entry: Int, numerator: Int, denominator: Int?, status: IndicatorRow.Status) {
            if units.last !== unit { units.append(unit) }
            let row = entries.count
            unitIndex.append(UInt32(units.count - 1))
            entries.append(UInt16(entry))
            statuses.append(status)
            // The narrow form keeps -1 for "no denominator" and Int32.min
            // for "look in `wide`": a denominator is never negative.
            let narrowNumerator = numerator > Int(IndicatorRows.wideMark) && numerator <= Int(Int32.max)
            let narrowDenominator = denominator.map { $0 >= 0 && $0 <= Int(Int32.max) } ?? true
            if narrowNumerator && narrowDenominator {
                numerators.append(Int32(numerator))
                denominators.append(denominator.map { Int32($0) } ?? IndicatorRows.noDenominator)
            } else {
                numerators.append(IndicatorRows.wideMark)
                denominators.append(IndicatorRows.wideMark)
                wide[row] = (numerator, denominator)
            }
        }

        public func finish() -> IndicatorRows { IndicatorRows(storage: self) }
    }
}
