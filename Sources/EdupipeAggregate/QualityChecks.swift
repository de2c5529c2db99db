import EdupipeStandard

/// One row of `quality.csv` (standard, section 8.4): a county flagged by a
/// check on one subject, with what was found and what it was held against.
public struct QualityFlag: Sendable, Equatable {
    public enum Check: String, Sendable, CaseIterable { case overTime = "over_time", outlier, related }
    public let code: String
    public let name: String
    public let check: Check
    /// A measure (`class_size.classes`), an indicator or a related check's name.
    public let subject: String
    /// As written in the CSV: an integer (over time) or a ratio to six decimals.
    public let value: String
    public let reference: String
    /// `high` or `low`.
    public let high: Bool
    /// What a clerk reads, in both languages.
    public let message: DisplayName

    package init(
        code: String,
        name: String,
        check: Check,
        subject: String,
        value: String,
        reference: String,
        high: Bool,
        message: DisplayName
    ) {
        self.code = code
        self.name = name
        self.check = check
        self.subject = subject
        self.value = value
        self.reference = reference
        self.high = high
        self.message = message
    }

    public var flag: String { high ? "high" : "low" }
}

/// The checks of section 8.3 over one period, from the files in force of
/// that period and the one before it and from the period's indicator table.
/// Exact arithmetic throughout: integers and fractions, never floating point
/// in a decision.
public enum QualityChecks {
    public static func flags(table: IndicatorTable, counties: [String: CountyFiles], previous: [String: CountyFiles]?,
                             registry: Registry, config: CompiledPlan) -> [QualityFlag] {
        let plan = config.quality
        var flags: [QualityFlag] = []
        let name = { (code: String) in registry.units[code]?.name ?? "" }
        if let check = plan.overTime, let previous {
            for (code, files) in counties {
                guard let before = previous[code] else { continue }
                flags += overTime(check, code: code, name: name(code), now: files, before: before)
            }
        }
        if let check = plan.outlier {
            flags += outliers(check, table: table, registry: registry, config: config)
        }
        for pair in plan.related {
            for (code, files) in counties {
                if let flag = related(pair, code: code, name: name(code), files: files) { flags.append(flag) }
            }
        }
        // Ordered by code, then check, then subject, each as text.
        return flags.sorted { a, b in
            if a.code != b.code { return a.code.utf8.lexicographicallyPrecedes(b.code.utf8) }
            if a.check != b.check { return a.check.rawValue.utf8.lexicographicallyPrecedes(b.check.rawValue.utf8) }
            return a.subject.utf8.lexicographicallyPrecedes(b.subject.utf8)
        }
    }

    /// Over time, one county: each measure of a dataset it has in force now
    /// and in the previous period.
    public static func overTime(_ check: QualityPlan.OverTime, code: String, name: String,
                                now: CountyFiles, before: CountyFiles) -> [QualityFlag] {
        var flags: [QualityFlag] = []
        for m in check.measures {
            guard let a = now.files[m.dataset.index], let b = before.files[m.dataset.index] else { continue }
            let v = m.value(a), r = m.value(b)
            // Flagged when r >= 1 and |v - r| > change * r, exactly:
            // |v - r| * scale > numerator * r.
            guard r >= 1 else { continue }
            let left = abs(v - r).multipliedFullWidth(by: check.change.scale)
            let right = check.change.numerator.multipliedFullWidth(by: r)
            guard (left.high, left.low) > (right.high, right.low) else { continue }
            flags.append(QualityFlag(code: code, name: name, check: .overTime, subject: m.subject, value: String(v),
                                     reference: String(r), high: v > r,
                                     message: say(check.message, subject: m.names, value: String(v), reference: String(r))))
        }
        return flags
    }

    /// The related pair, one county: both collections in force and a
    /// denominator of at least 1.
    public static func related(_ pair: QualityPlan.Related, code: String, name: String, files: CountyFiles) -> QualityFlag? {
        guard let a = files.files[pair.numerator.dataset.index], let b = files.files[pair.denominator.dataset.index] else { return nil }
        let n = pair.numerator.value(a), d = pair.denominator.value(b)
        guard d >= 1 else { return nil }
        // n/d < low/scale  <=>  n * scale < low * d (and so for high).
        func below(_ bound: QualityPlan.Decimal) -> Bool {
            let l = n.multipliedFullWidth(by: bound.scale), r = bound.numerator.multipliedFullWidth(by: d)
            return (l.high, l.low) < (r.high, r.low)
        }
        func above(_ bound: QualityPlan.Decimal) -> Bool {
            let l = n.multipliedFullWidth(by: bound.scale), r = bound.numerator.multipliedFullWidth(by: d)
            return (l.high, l.low) > (r.high, r.low)
        }
        let bound: QualityPlan.Decimal
        let high: Bool
        if below(pair.low) { bound = pair.low; high = false } else if above(pair.high) { bound = pair.high; high = true } else { return nil }
        let value = Ratio.sixDecimals(n, d)
        return QualityFlag(code: code, name: name, check: .related, subject: pair.name, value: value, reference: bound.text,
                           high: high, message: say(pair.message, subject: pair.names, value: value, reference: bound.text))
    }

    /// Outliers among the counties of each province, per indicator.
    static func outliers(_ check: QualityPlan.Outlier, table: IndicatorTable, registry: Registry,
                         config: CompiledPlan) -> [QualityFlag] {
        var flags: [QualityFlag] = []
        let wanted = Set(check.indicators.compactMap { config.catalog.index(of: $0) })
        // Per indicator and province, the county rows that have data.
        var peers: [Int: [String: [IndicatorRow]]] = [:]
        for row in table.rows where row.level == .county && wanted.contains(row.entry) && row.status != .noData {
            guard let province = registry.province(of: row.code) else { continue }
            peers[row.entry, default: [:]][province, default: []].append(row)
        }
        for (entry, byProvince) in peers {
            let spec = config.catalog.entries[entry]
            for (_, rows) in byProvince where rows.count >= check.minPeers {
                let values = rows.map { ExactFraction($0.numerator, $0.denominator ?? 1) }
                let m = ExactFraction.median(values)
                let mad = ExactFraction.median(values.map { ExactFraction.distance($0, m) })
                guard !mad.isZero else { continue }
                // 0.6745 |x - m| / MAD > z  <=>  6745 * z.scale * |x - m| > z.numerator * 10000 * MAD.
                let threshold = mad.times(check.modifiedZ.numerator).times(10_000)
                for (row, x) in zip(rows, values) {
                    let d = ExactFraction.distance(x, m).times(6745).times(check.modifiedZ.scale)
                    guard threshold < d else { continue }
                    let value = row.value ?? x.sixDecimals
                    let reference = m.sixDecimals
                    flags.append(QualityFlag(code: row.code, name: row.name, check: .outlier, subject: spec.name, value: value,
                                             reference: reference, high: m < x,
                                             message: say(check.message, subject: spec.names, value: value, reference: reference)))
                }
            }
        }
        return flags
    }

    /// The plan's message with `{subject}`, `{value}` and `{reference}` filled in.
    static func say(_ message: DisplayName, subject: DisplayName, value: String, reference: String) -> DisplayName {
        func fill(_ s: String, _ subject: String) -> String {
            s.replacing("{subject}", with: subject)
                .replacing("{value}", with: value)
                .replacing("{reference}", with: reference)
        }
        return DisplayName(zh: fill(message.zh, subject.zh), en: fill(message.en, subject.en))
    }
}
