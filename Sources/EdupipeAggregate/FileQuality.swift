import EdupipeInput
import EdupipeStandard

extension QualityChecks {
    /// The flags of section 8 that concern one file in force, for its
    /// receipt or `validate --inbox`: over time against the county's
    /// previous file of its dataset, the related pairs against the county's
    /// other collections of the period. `inForce(dataset, period)` is the
    /// county's file in force for that dataset and period, as the inbox
    /// stands. Outliers need every county's file: the night finds them.
    public static func forFile(_ name: SubmissionName, totals: DatasetTotals, registry: Registry, config: CompiledPlan,
                               inForce: (Dataset, String) -> DatasetTotals?) -> [QualityFlag] {
        let countyName = registry.units[name.county]?.name ?? ""
        let datasets = config.datasetPlans.count
        var now = CountyFiles(datasets: datasets)
        now.set(totals)
        var flags: [QualityFlag] = []
        if let check = config.quality.overTime, let previous = PeriodOrder.previous(name.period),
           let earlier = inForce(name.dataset, previous) {
            var before = CountyFiles(datasets: datasets)
            before.set(earlier)
            flags += overTime(check, code: name.county, name: countyName, now: now, before: before)
        }
        for pair in config.quality.related where pair.numerator.dataset == name.dataset || pair.denominator.dataset == name.dataset {
            let other = pair.numerator.dataset == name.dataset ? pair.denominator.dataset : pair.numerator.dataset
            guard let o = inForce(other, name.period) else { continue }
            var files = now
            files.set(o)
            if let flag = related(pair, code: name.county, name: countyName, files: files) { flags.append(flag) }
        }
        return flags
    }
}
