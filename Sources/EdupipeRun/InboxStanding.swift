import EdupipeInput
import EdupipeStandard
import EdupipeAggregate

/// An inbox as `edupipe validate --inbox` reads it: for a county, dataset
/// and period, the file in force (section 2) and what it counts, each file
/// validated once and only when asked about. A clerk checks a new file
/// against what the office already holds, before uploading it.
public final class InboxStanding {
    private let validator: SubmissionValidator
    private let root: String
    private var groups: [String: [(entry: Inbox.Entry, name: SubmissionName)]] = [:]
    private var reports: [String: FileReport] = [:]

    public init(root: String, validator: SubmissionValidator) throws {
        self.root = root
        self.validator = validator
        for entry in try Inbox.entries(root) where entry.problem == nil {
            let file = SubmissionValidator.lastComponent(entry.path)
            guard let name = SubmissionName.parse(file, datasets: validator.config.datasets) else { continue }
            groups[Self.key(name.county, name.dataset.rawValue, name.period), default: []].append((entry, name))
        }
    }

    private static func key(_ county: String, _ dataset: String, _ period: String) -> String { county + "|" + dataset + "|" + period }

    /// What the file in force of (county, dataset, period) counts, if any.
    public func totals(county: String, dataset: Dataset, period: String) -> DatasetTotals? {
        let members = groups[Self.key(county, dataset.rawValue, period)] ?? []
        var candidates: [AcceptanceCandidate] = []
        for m in members {
            let report = reports[m.entry.path] ?? validator.validate(raw: RawPath(root).appending(m.entry.raw),
                                                                      displayPath: m.entry.path, digest: true)
            reports[m.entry.path] = report
            if report.isValid {
                candidates.append(AcceptanceCandidate(path: m.entry.path, name: m.name, isValid: true, contentDigest: report.contentDigest))
            }
        }
        return Acceptance.inForce(candidates).flatMap { reports[$0]?.totals }
    }

    /// The quality flags of section 8 that concern a valid file (as if it
    /// were in force), against the inbox.
    public func flags(for report: FileReport, registry: Registry) -> [QualityFlag] {
        guard report.isValid, let name = report.name, let totals = report.totals else { return [] }
        return QualityChecks.forFile(name, totals: totals, registry: registry, config: validator.config) { dataset, period in
            self.totals(county: name.county, dataset: dataset, period: period)
        }
    }
}
