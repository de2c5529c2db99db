#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport
import EdupipeInput
import EdupipeStandard
import EdupipeAggregate
import EdupipeOutput

/// Writes a realistic synthetic inbox from the registry (`edupipe synth`):
/// one file per county and dataset under `<out>/<province>/`, deterministic
/// for a seed. A share of CSV files is in GB18030, with CRLF line ends, or
/// with the columns in another order, as county exports really are.
public struct SyntheticInbox {
    public enum Form: String, Sendable, CaseIterable {
        case csv, csvGz = "csv.gz", xml, xmlGz = "xml.gz"
    }

    public struct Options: Sendable {
        public var out: String
        public var seed: UInt64
        /// nil: every county.
        public var counties: Int?
        public var provinces: [String]
        public var scale: Double
        public var forms: [Form]
        public var period: String
        public var jobs: Int
        /// 0 to 1: the share of records given a text value no compressor can
        /// predict (a class ID's random suffix, a school's random branch
        /// name), for inboxes that compress as badly as real ones.
        public var noise: Double = 0
        /// Periods written, ending with `period` (section 8.1's order): each
        /// county's counts drift a few percent from one to the next.
        public var periods = 1
        /// 0 to 1: the share of counties whose last period's files are
        /// broken on purpose (half send only part of their schools, half
        /// type pupils per grade), for the quality checks to find.
        public var breakShare: Double = 0

        public init(out: String, seed: UInt64, counties: Int? = nil, provinces: [String] = [], scale: Double = 1,
                    forms: [Form] = [.csvGz], period: String = "2022-autumn", jobs: Int = WorkerPool.coreCount) {
            self.out = out
            self.seed = seed
            self.counties = counties
            self.provinces = provinces
            self.scale = scale
            self.forms = forms
            self.period = period
            self.jobs = jobs
        }
    }

    public struct Summary: Sendable {
        public var files = 0
        public var bytes = 0
        public var records = 0
    }

    /// Writes the inbox of `config`, the plan: every dataset drawn from its
    /// `synth:` model (`CountyDraw`).
    public static func write(_ o: Options, registry: Registry, config: CompiledPlan) throws -> Summary {
        var codes = registry.counties
        if !o.provinces.isEmpty {
            codes = codes.filter { c in o.provinces.contains { c.hasPrefix($0.prefix(2)) } }
        }
        if let k = o.counties { codes = Array(codes.prefix(k)) }
        try makeDirectories(o.out)
        let selected = codes
        let results = ResultSlots<Summary>(count: codes.count)
        let failures = ResultSlots<String>(count: codes.count)
        let periods = Array(PeriodOrder.before(o.period, count: max(0, o.periods - 1)).reversed()) + [o.period]
        let synth = config.synth
        WorkerPool.run(count: selected.count, threads: o.jobs) { i, _ in
            let code = selected[i]
            let stream = UInt64(code) ?? 0
            var drift = SynthRandom(seed: o.seed ^ 0xD41F7, stream: stream)
            var factor = 1.0
            var breaking = SynthRandom(seed: o.seed ^ 0xB4EA, stream: stream)
            let fault = !synth.faults.isEmpty && breaking.chance(o.breakShare)
                ? synth.faults[breaking.int(0...(synth.faults.count - 1))] : nil
            var summary = SyntheticInbox.Summary()
            for (k, period) in periods.enumerated() {
                // A few percent a period, up or down: well inside what the
                // over-time check allows.
                if k > 0 { factor *= 1 + Double(drift.int(-synth.drift...synth.drift)) / 100 }
                let last = k == periods.count - 1
                var options = o
                options.period = period
                let county = CountyDraw(config: config, code: code, name: registry.units[code]?.name ?? code, seed: o.seed, period: period,
                                        scale: o.scale * factor * (last ? fault?.scale ?? 1 : 1), noise: o.noise,
                                        fault: last && fault?.field != nil ? fault : nil, previous: i > 0 ? selected[i - 1] : nil,
                                        position: i)
                do {
                    let s = try writeCounty(code, county.draw(), options: options, province: registry.province(of: code) ?? "000000")
                    summary.files += s.files
                    summary.bytes += s.bytes
                    summary.records += s.records
                } catch {
                    failures[i] = "\(error)"
                }
            }
            results[i] = summary
        }
        var total = Summary()
        for i in codes.indices {
            if let f = failures[i] { throw EdupipeError(.io, f) }
            guard let s = results[i] else { continue }
            total.files += s.files
            total.bytes += s.bytes
            total.records += s.records
        }
        return total
    }

    private static func writeCounty(_ code: String, _ sets: [(plan: DatasetPlan, rows: [[String]])], options o: Options,
                                    province: String) throws -> Summary {
        var rng = SynthRandom(seed: o.seed ^ 0xF0F0, stream: UInt64(code) ?? 0)
        let dir = o.out + "/" + province
        try makeDirectories(dir)
        var summary = Summary()
        for (plan, rows) in sets {
            let dataset = plan.dataset.rawValue
            let columns = plan.fields.map(\.name)
            let form = o.forms[rng.int(0...(o.forms.count - 1))]
            var bytes: [UInt8]
            if form == .csv || form == .csvGz {
                let booleans = Set(plan.fields.indices.filter { plan.fields[$0].kind == .boolean })
                bytes = csv(columns: columns, rows: rows, booleans: booleans, rng: &rng)
            } else {
                bytes = xml(dataset: dataset, county: code, period: o.period, columns: columns, rows: rows, rng: &rng)
            }
            if form == .csvGz || form == .xmlGz { bytes = GzipCompressor.compress(bytes) }
            let ext = form.rawValue
            try AtomicFile.write(bytes, to: "\(dir)/\(code)_\(dataset)_\(o.period).\(ext)")
            summary.files += 1
            summary.bytes += bytes.count
            summary.records += rows.count
        }
        return summary
    }

    /// CSV as county offices export it: 15% GB18030 with 是/否 in the
    /// boolean columns, 10% CRLF, 10% with the columns in another order.
    static func csv(columns: [String], rows: [[String]], booleans: Set<Int>, rng: inout SynthRandom) -> [UInt8] {
        let gb = rng.chance(0.15)
        let crlf = rng.chance(0.10)
        var order = Array(columns.indices)
        if rng.chance(0.10) { order.shuffle(using: &rng) }
        let newline = crlf ? "\r\n" : "\n"
        let booleanColumns: Set<Int> = gb ? booleans : []
        var text = order.map { columns[$0] }.joined(separator: ",") + newline
        for row in rows {
            text += order.map { i -> String in
                var v = row[i]
                if booleanColumns.contains(i) { v = v == "1" ? "是" : "否" }
                return CSVLine.escape(v)
            }.joined(separator: ",") + newline
        }
        return gb ? toGB18030(text) : Array(text.utf8)
    }

    /// XML in element form, or attribute form for half the files.
    static func xml(dataset: String, county: String, period: String, columns: [String], rows: [[String]],
                    rng: inout SynthRandom) -> [UInt8] {
        let attributes = rng.chance(0.5)
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<submission dataset=\"\(dataset)\" county=\"\(county)\" period=\"\(period)\">\n"
        for row in rows {
            if attributes {
                text += "  <record"
                for (i, c) in columns.enumerated() where !row[i].isEmpty { text += " \(c)=\"\(escape(row[i]))\"" }
                text += "/>\n"
            } else {
                text += "  <record>"
                for (i, c) in columns.enumerated() where !row[i].isEmpty { text += "<\(c)>\(escape(row[i]))</\(c)>" }
                text += "</record>\n"
            }
        }
        return Array((text + "</submission>\n").utf8)
    }

    private static func escape(_ s: String) -> String {
        s.replacing("&", with: "&amp;").replacing("<", with: "&lt;")
            .replacing("\"", with: "&quot;")
    }

    /// UTF-8 text in another charset (GB18030, GBK, GB2312), as Chinese
    /// Windows software saves it. The text is edupipe's own, so a character
    /// the charset lacks is a programming error.
    static func toGB18030(_ text: String, charset: String = "GB18030") -> [UInt8] {
        TextSource.encode(text, charset: charset)
    }
}
