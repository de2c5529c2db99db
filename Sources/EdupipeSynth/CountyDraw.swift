import EdupipeInput
import EdupipeStandard
import EdupipeOutput

/// The records one county sends in one period, for every dataset of the
/// plan, drawn from the plan's `synth:` models (`SynthPlan`): so many
/// schools, each dataset's records field by field, collections that agree
/// school by school, and a fault when the county is one that breaks its
/// files. Every record is checked by the plan's own rules and drawn again
/// when they refuse it, so a county that is not broken sends only valid
/// files. No dataset or field is named here: a collection the plan adds is
/// drawn from its model, or from its fields' types when it has none.
struct CountyDraw {
    let config: CompiledPlan
    let code: String
    let name: String
    let seed: UInt64
    let period: String
    /// `--scale` times the period's drift (and a partial fault's share).
    let scale: Double
    let noise: Double
    /// A fault that multiplies a field, applied after the collections agree.
    let fault: SynthPlan.Fault?
    /// The county before this one in the inbox, and this one's place, for
    /// linked records shared between neighbours.
    let previous: String?
    let position: Int

    var year: Int { Int(period.prefix(4)) ?? 2022 }

    /// The rows of each dataset, in the plan's order, as text values in the
    /// fields' order.
    func draw() -> [(plan: DatasetPlan, rows: [[String]])] {
        var rng = SynthRandom(seed: seed, stream: UInt64(code) ?? 0)
        let schools = max(3, Int((Double(rng.int(config.synth.schools)) * scale).rounded()))
        var drawn: [Int: Drawn] = [:]
        for index in config.synth.order {
            let plan = config.datasetPlans[index]
            drawn[index] = DatasetDraw(county: self, plan: plan, model: config.synth.models[index] ?? SynthPlan.Model(),
                                       schools: schools, others: drawn).records()
        }
        if let fault, let (d, f) = fault.field, var target = drawn[d] {
            let top = config.datasetPlans[d].fields[f].range?.upperBound ?? Int.max
            for i in target.rows.indices {
                guard let n = Int(target.rows[i][f]) else { continue }
                target.rows[i][f] = String(min(top, n * fault.times))
            }
            drawn[d] = target
        }
        return config.datasetPlans.map { ($0, drawn[$0.dataset.index]?.rows ?? []) }
    }

    /// Whether `county` sends any record of a dataset in this period: the
    /// first draw of its own stream, so a neighbour can know it too.
    static func sends(_ model: SynthPlan.Model, dataset: Int, county: String, seed: UInt64, period: String) -> (Bool, SynthRandom) {
        var r = SynthRandom(seed: seed ^ 0xC0DE ^ UInt64(dataset + 1) &* 0x9E37_79B9, stream: (UInt64(county) ?? 0) ^ periodStream(period))
        return (!r.chance(model.none), r)
    }

    static func periodStream(_ period: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in period.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// The linked record a county's list starts with, which the county after
    /// it may list too: a child born ten years before the period, on 1 June.
    static func sharedID(county: String, year: Int) -> String {
        ValueParsers.withCheckCharacter(county + "\(year - 10)0601" + "999")
    }
}

/// A dataset's rows, and their values as numbers for conditions and sums.
struct Drawn {
    var rows: [[String]] = []
    var numbers: [[Int?]] = []
}
