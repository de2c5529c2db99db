/// The rows of one period's indicator table, packed: a unit index, an
/// entry, a status and two 32-bit values, 16 bytes a row where an array of
/// `IndicatorRow` takes 32. A national night over three periods holds
/// 270,000 rows until its outputs are written; held this way they take
/// 4.3 MB instead of 8.7 (issue 21's memory goal). A value that does not fit
/// 32 bits is kept exactly beside them: nothing is rounded.
///
/// Reading a row gives an `IndicatorRow`, made on demand.
public struct IndicatorRows: RandomAccessCollection, Sendable {
    /// Immutable once built: one reference, so that a unit's slice of the
    /// rows is small (`PeriodTables` holds one per unit).
    private final class Storage: Sendable {
        let units: [IndicatorUnit]
        let rows: [Packed]
        /// Values that do not fit 32 bits, by row.
        let wide: [Int: (numerator: Int, denominator: Int?)]

        init(_ b: Builder) {
            units = b.units
            rows = b.rows
            wide = b.wide
        }
    }

    /// One row in 16 bytes, in one array: one append and one read a row
    /// (an array per column cost 1% more of a small night's instructions).
    fileprivate struct Packed: Sendable {
        var numerator: Int32
        var denominator: Int32
        var unit: UInt32
        var entry: UInt16
        var status: IndicatorRow.Status
    }

    /// What a row takes in memory (`RecordSizeTests`).
    static var bytesPerRow: Int { MemoryLayout<Packed>.stride }

    /// Marks a value kept in `wide`.
    fileprivate static let wideMark = Int32.min
    /// A count indicator's denominator (none).
    fileprivate static let noDenominator = Int32(-1)

    private let storage: Storage

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rows.count }

    public subscript(i: Int) -> IndicatorRow {
        let s = storage
        let p = s.rows[i]
        var numerator = Int(p.numerator), denominator = p.denominator == Self.noDenominator ? nil : Int(p.denominator)
        if p.numerator == Self.wideMark, let w = s.wide[i] { (numerator, denominator) = w }
        return IndicatorRow(unit: s.units[Int(p.unit)], entry: Int(p.entry),
                            numerator: numerator, denominator: denominator, status: p.status)
    }

    /// Row `i`'s unit, without making the row.
    public func unit(at i: Int) -> IndicatorUnit { storage.units[Int(storage.rows[i].unit)] }

    /// Row `i`'s catalog entry, without making the row.
    public func entry(at i: Int) -> Int { Int(storage.rows[i].entry) }

    /// Whether rows `i` and `j` belong to one unit.
    public func sameUnit(_ i: Int, _ j: Int) -> Bool { storage.rows[i].unit == storage.rows[j].unit }

    /// No rows.
    public init() { self = Builder(capacity: 0).finish() }

    fileprivate init(storage b: Builder) { storage = Storage(b) }

    /// Collects rows unit by unit: a unit's rows are appended together.
    public struct Builder {
        fileprivate var units: [IndicatorUnit] = []
        fileprivate var rows: [Packed] = []
        fileprivate var wide: [Int: (numerator: Int, denominator: Int?)] = [:]

        /// Room for `capacity` rows, reserved once.
        public init(capacity: Int) {
            rows.reserveCapacity(capacity)
        }

        public mutating func append(unit: IndicatorUnit, entry: Int, numerator: Int, denominator: Int?, status: IndicatorRow.Status) {
            if units.last !== unit { units.append(unit) }
            var p = Packed(numerator: IndicatorRows.wideMark, denominator: IndicatorRows.wideMark,
                           unit: UInt32(units.count - 1), entry: UInt16(entry), status: status)
            // The narrow form keeps -1 for "no denominator" and Int32.min
            // for "look in `wide`": a denominator is never negative.
            let narrowNumerator = numerator > Int(IndicatorRows.wideMark) && numerator <= Int(Int32.max)
            let narrowDenominator = denominator.map { $0 >= 0 && $0 <= Int(Int32.max) } ?? true
            if narrowNumerator && narrowDenominator {
                p.numerator = Int32(numerator)
                p.denominator = denominator.map { Int32($0) } ?? IndicatorRows.noDenominator
            } else {
                wide[rows.count] = (numerator, denominator)
            }
            rows.append(p)
        }

        public func finish() -> IndicatorRows { IndicatorRows(storage: self) }
    }
}
