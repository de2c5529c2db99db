import GRDB
import EdupipeInput
import EdupipeAggregate

/// Who has reported a period, and when: per province and dataset, the
/// counties reporting out of those expected, the late ones and the missing
/// ones (DHIS2's reporting rate and on-time rate), and per county the file
/// in force.
///
/// A county's arrival for a dataset is the earliest first sighting, in the
/// ledger, of the files of it for the period that count now (accepted,
/// superseded or duplicate): a later correction does not make an on-time
/// county late, and a file held back only by a conflict that was resolved
/// later keeps its arrival. It is late when that arrival is after the
/// deadline day (UTC+8).
public struct ReportingStatus: Sendable {
    public struct County: Sendable, Equatable {
        public let county: String
        public let dataset: Dataset
        public let path: String
        public let revision: Int
        public let records: Int
        public let arrivedAt: Int64
        public let late: Bool
    }

    public struct Province: Sendable, Equatable {
        public let province: String
        public let dataset: Dataset
        public let expected: Int
        public let reporting: Int
        public let late: [String]
        public let missing: [String]
    }

    public let period: String
    /// The plan's datasets, in its order.
    public let datasets: [Dataset]
    public let deadline: String?
    public let provinces: [Province]
    /// Files in force, by county then dataset.
    public let counties: [County]

    /// What the status reads of a current, not rejected, version of a
    /// file of the period: the columns it needs, decoded by position.
    public struct File: Sendable {
        static let columns = "path, county, dataset, revision, first_seen, status, records"
        static let condition = "gone_at IS NULL AND period = ? AND status != 'rejected'"
        let path: String
        let county: String?
        let dataset: String?
        let revision: Int?
        let firstSeen: Int64
        let status: SubmissionStatus
        let records: Int

        /// A file as the intake sees the inbox now (`edupipe serve`).
        public init(path: String, county: String?, dataset: String?, revision: Int?, firstSeen: Int64,
                    status: SubmissionStatus, records: Int) {
            self.path = path
            self.county = county
            self.dataset = dataset
            self.revision = revision
            self.firstSeen = firstSeen
            self.status = status
            self.records = records
        }

        init(row: Row) {
            path = row[0]
            county = row[1]
            dataset = row[2]
            revision = row[3]
            firstSeen = row[4]
            status = row[5]
            records = row[6]
        }
    }

    /// `files`: the period's current versions that are not rejected.
    /// `listingCounties: false` keeps the provinces' counts and lists only
    /// (what a run's summary prints), not a row per county and dataset.
    public init(period: String, files: some Sequence<File>, registry: Registry, datasets: [Dataset], deadlines: [String: String],
                province only: String? = nil, listingCounties: Bool = true) {
        self.period = period
        self.datasets = datasets
        deadline = deadlines[period]
        let due = deadline.flatMap(LedgerTime.endOfDay)
        // Keyed by county code × dataset as one integer, holding only what
        // the report shows: a national ledger has 8,562 current files.
        func key(_ county: String, _ dataset: Dataset) -> Int {
            (Int(county) ?? 0) * 256 + dataset.index
        }
        var arrival: [Int: Int64] = [:]
        var inForce: [Int: (path: String, revision: Int, records: Int)] = [:]
        for f in files {
            guard let county = f.county, registry.isCounty(county),
                  let dataset = f.dataset.flatMap(datasets.named) else { continue }
            let k = key(county, dataset)
            arrival[k] = min(arrival[k] ?? .max, f.firstSeen)
            if f.status == .accepted { inForce[k] = (f.path, f.revision ?? 0, f.records) }
        }
        var counties: [County] = []
        var provinces: [Province] = []
        // A prefecture's scope lists no province: its counties are shown
        // under their province.
        let provinceCodes = only.map { [$0] } ?? (registry.provinces.isEmpty ? registry.scope.flatMap(registry.province(of:)).map { [$0] } ?? [] : registry.provinces)
        var countiesOf: [String: [String]] = [:]
        for c in registry.counties { countiesOf[registry.province(of: c) ?? "", default: []].append(c) }
        for p in provinceCodes {
            let expected = countiesOf[p] ?? []
            for dataset in datasets {
                var late: [String] = []
                var missing: [String] = []
                for c in expected {
                    let k = key(c, dataset)
                    guard let f = inForce[k], let arrived = arrival[k] else {
                        missing.append(c)
                        continue
                    }
                    let isLate = due.map { arrived >= $0 } ?? false
                    if isLate { late.append(c) }
                    guard listingCounties else { continue }
                    counties.append(County(county: c, dataset: dataset, path: f.path, revision: f.revision,
                                           records: f.records, arrivedAt: arrived, late: isLate))
                }
                provinces.append(Province(province: p, dataset: dataset, expected: expected.count,
                                          reporting: expected.count - missing.count, late: late, missing: missing))
            }
        }
        self.provinces = provinces
        // By county, then dataset name: sorted on numbers, as the codes are
        // six digits and the names' order is fixed.
        let datasetRank = Dictionary(uniqueKeysWithValues: datasets.sorted { $0.rawValue < $1.rawValue }.enumerated().map { ($1, $0) })
        self.counties = counties
            .map { (key: (Int($0.county) ?? 0) * 256 + datasetRank[$0.dataset]!, county: $0) }
            .sorted { $0.key < $1.key }
            .map(\.county)
    }

    /// Totals over the provinces shown, per dataset.
    public func total(_ dataset: Dataset) -> (expected: Int, reporting: Int, late: Int) {
        provinces.filter { $0.dataset == dataset }.reduce((0, 0, 0)) { ($0.0 + $1.expected, $0.1 + $1.reporting, $0.2 + $1.late.count) }
    }
}
