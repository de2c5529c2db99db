import Testing
@testable import EdupipeAggregate
@testable import EdupipeStandard

/// The indicator rows are held in 32 bits a value: every value must still
/// come back exactly, on both sides of each boundary of the narrow form.
@Suite struct IndicatorRowsTests {
    private static func unit(_ code: String) -> IndicatorUnit {
        let catalog = Fixtures.config.catalog
        return IndicatorUnit(period: "2022-autumn", level: .county, code: code, name: code,
                             targets: Array(repeating: nil, count: catalog.entries.count), catalog: catalog)
    }

    @Test func valuesComeBackExactlyOnBothSidesOfThirtyTwoBits() {
        let values: [(Int, Int?)] = [
            (0, nil), (0, 0), (7, 12), (-1, nil), (-1, 5),
            (Int(Int32.max), Int(Int32.max)), (Int(Int32.max) + 1, 3), (4, Int(Int32.max) + 1),
            (Int(Int32.min) + 1, nil), (Int(Int32.min), nil), (Int(Int32.min) - 1, 9),
            (1 << 40, 1 << 41), (Int.max, Int.max), (Int.min, nil), (12, -1),
        ]
        let u = Self.unit("110101")
        var b = IndicatorRows.Builder(capacity: values.count)
        for (i, v) in values.enumerated() {
            b.append(unit: u, entry: i % 3, numerator: v.0, denominator: v.1, status: i % 2 == 0 ? .met : .noData)
        }
        let rows = b.finish()
        #expect(rows.count == values.count)
        for (i, v) in values.enumerated() {
            let r = rows[i]
            #expect(r.numerator == v.0, "row \(i)")
            #expect(r.denominator == v.1, "row \(i)")
            #expect(r.entry == i % 3)
            #expect(r.status == (i % 2 == 0 ? .met : .noData))
            #expect(r.unit === u)
        }
    }

    @Test func rowsKeepTheirUnitsApart() {
        let a = Self.unit("110101"), b = Self.unit("110102")
        var builder = IndicatorRows.Builder(capacity: 5)
        builder.append(unit: a, entry: 0, numerator: 1, denominator: 2, status: .met)
        builder.append(unit: a, entry: 2, numerator: 3, denominator: nil, status: .noTarget)
        builder.append(unit: b, entry: 0, numerator: 5, denominator: 6, status: .notMet)
        builder.append(unit: b, entry: 1, numerator: 7, denominator: 8, status: .notMet)
        let rows = builder.finish()
        #expect(rows.map(\.code) == ["110101", "110101", "110102", "110102"])
        #expect(rows.map(\.entry) == [0, 2, 0, 1])
        #expect(rows.sameUnit(0, 1) && rows.sameUnit(2, 3))
        #expect(!rows.sameUnit(1, 2))
        #expect(rows.unit(at: 3) === b)
        #expect(IndicatorRows().isEmpty)
    }
}
