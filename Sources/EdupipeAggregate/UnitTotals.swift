import EdupipeInput
import EdupipeStandard

/// The sums of one unit (county, prefecture, province or the nation) for
/// one period: numerators and denominators, never ratios.
public struct UnitTotals: Sendable, Equatable {
    /// Counties of the unit in the registry.
    public var counties = 0
    /// Counties with a file in force, per dataset (by plan index).
    public var reporting: [Int]
    /// Every dataset's measure slots, summed over the unit's files in force.
    public var sums: [Int]
    /// Per `counties_with_zero` indicator (by catalog index): reporting
    /// counties whose measure is zero.
    public var zeroCounties: [Int: Int] = [:]
    /// Per dataset with a linked field: distinct children listed by two or
    /// more counties of the unit.
    public var crossCountyDuplicates: [Int: Int] = [:]

    public init(config: CompiledPlan) {
        reporting = [Int](repeating: 0, count: config.datasetPlans.count)
        sums = [Int](repeating: 0, count: config.datasetPlans.reduce(0) { $0 + $1.slotCount })
    }

    public func hasData(_ d: Dataset) -> Bool { reporting[d.index] > 0 }

    /// Adds one county's files in force; `history` are its files in force
    /// of the periods before, the nearest first (nil: none that period).
    mutating func add(county: CountyFiles, history: [CountyFiles?] = [], zeroChecks: [ZeroCheck], bases: [Int]) {
        counties += 1
        for (d, totals) in county.files.enumerated() {
            guard let totals else { continue }
            reporting[d] += 1
            let base = bases[d]
            for (i, v) in totals.values.enumerated() { sums[base + i] += v }
        }
        for check in zeroChecks {
            guard check.isZero(county.files[check.dataset], base: bases[check.dataset]) else { continue }
            // Sustained: zero in each earlier period too, each in its own
            // file in force; a period without one breaks the run.
            var sustained = true
            for back in 0..<(check.periods - 1) {
                let earlier = back < history.count ? history[back]?.files[check.dataset] : nil
                if !check.isZero(earlier, base: bases[check.dataset]) { sustained = false; break }
            }
            if sustained { zeroCounties[check.entry, default: 0] += 1 }
        }
    }
}

/// A `counties_with_zero` indicator as the totals count it.
public struct ZeroCheck: Sendable {
    let entry: Int
    let dataset: Int
    /// Global slots of the measure that must be zero.
    let slots: [Int]
    /// Periods, this one and those before it, that must each show zero.
    let periods: Int

    /// Whether a file in force exists and its measure is zero.
    func isZero(_ totals: DatasetTotals?, base: Int) -> Bool {
        guard let totals else { return false }
        return slots.allSatisfy { totals.values[$0 - base] == 0 }
    }
}

/// The totals of the files in force of one county for one period, per
/// dataset (by plan index).
public struct CountyFiles: Sendable {
    public var files: [DatasetTotals?]

    public init(datasets: Int) { files = [DatasetTotals?](repeating: nil, count: datasets) }

    package mutating func set(_ totals: DatasetTotals) { files[totals.dataset.index] = totals }

    public func has(_ d: Dataset) -> Bool { files.indices.contains(d.index) && files[d.index] != nil }
}
