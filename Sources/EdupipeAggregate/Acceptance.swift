import EdupipeInput
import EdupipeStandard

/// The status of a file after the acceptance rules of section 2.
public enum SubmissionStatus: String, Sendable, CaseIterable {
    /// The file in force for its (county, dataset, period).
    case accepted
    /// Valid, but a higher accepted revision is in force.
    case superseded
    /// Invalid, or in conflict with another file of the same revision.
    case rejected
    /// The same records as an earlier file (by name) of the same revision.
    case duplicate
}

/// What the acceptance rules need to know of one file.
public struct AcceptanceCandidate: Sendable {
    public let path: String
    public let name: SubmissionName?
    public let isValid: Bool
    /// Needed only for files that share a revision (see `filesSharingARevision`).
    public var contentDigest: [UInt8]?

    public init(path: String, name: SubmissionName?, isValid: Bool, contentDigest: [UInt8]?) {
        self.path = path
        self.name = name
        self.isValid = isValid
        self.contentDigest = contentDigest
    }
}

/// Section 2's acceptance rules over every file of an inbox.
///
/// Among valid files of one (county, dataset, period): files of the same
/// revision holding the same typed records are one submission, the first by
/// path in force and the later ones `duplicate`; if files of one revision
/// disagree, every file of that revision is rejected with
/// `E_REVISION_CONFLICT` (and with three or more, even two that agree: the
/// county must settle the revision). The highest remaining revision is in
/// force; the others are superseded. A rejected file never replaces anything.
public enum Acceptance {
    public struct Decision: Sendable {
        public var statuses: [SubmissionStatus]
        /// Extra issues per file index (revision conflicts).
        public var conflicts: [Int: Issue]
    }

    /// Valid named files grouped by (county, dataset, period), then by
    /// revision, each revision's files in path order. Worked out once per
    /// run by sorting numeric keys, not by hashing strings into nested
    /// dictionaries: a national inbox has 8,500 groups of about one file.
    /// The grouping depends on names and validity only, so it holds after
    /// content digests are added.
    public struct RevisionGroups: Sendable {
        /// Per group, per revision, the file indices.
        let groups: [[[Int]]]

        public init(_ candidates: [AcceptanceCandidate]) {
            var keyed: [(group: Int, revision: Int, index: Int)] = []
            keyed.reserveCapacity(candidates.count)
            for (i, c) in candidates.enumerated() where c.isValid {
                guard let n = c.name else { continue }
                keyed.append((groupNumber(n), n.revision, i))
            }
            keyed.sort { ($0.group, $0.revision, $0.index) < ($1.group, $1.revision, $1.index) }
            var groups: [[[Int]]] = []
            var k = 0
            while k < keyed.count {
                var revisions: [[Int]] = []
                let group = keyed[k].group
                while k < keyed.count && keyed[k].group == group {
                    var files: [Int] = []
                    let revision = keyed[k].revision
                    while k < keyed.count && keyed[k].group == group && keyed[k].revision == revision {
                        files.append(keyed[k].index)
                        k += 1
                    }
                    revisions.append(files)
                }
                groups.append(revisions)
            }
            self.groups = groups
        }
    }

    /// (county, dataset, period) as one number; names that parsed have a
    /// 6-digit county and a `YYYY-spring` or `YYYY-autumn` period.
    fileprivate static func groupNumber(_ n: SubmissionName) -> Int {
        var county = 0
        for b in n.county.utf8 { county = county &* 10 &+ Int(b &- 0x30) }
        var year = 0
        for b in n.period.utf8.prefix(4) { year = year &* 10 &+ Int(b &- 0x30) }
        let autumn = n.period.utf8.last == UInt8(ascii: "n") ? 1 : 0
        // A plan has at most 200 datasets (checked when it loads).
        return ((county * 256 + n.dataset.index) * 10_000 + year) * 2 + autumn
    }

    /// The valid files that share their revision with another: the only ones
    /// whose content digest `decide` compares. In path order.
    public static func filesSharingARevision(_ groups: RevisionGroups) -> [Int] {
        groups.groups.flatMap { $0.filter { $0.count > 1 }.joined() }.sorted()
    }

    /// The path of the file in force among one group's files, decided as
    /// the night decides it (`decide`), in whatever order they come.
    public static func inForce(_ candidates: [AcceptanceCandidate]) -> String? {
        let sorted = candidates.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        let decision = decide(sorted, groups: RevisionGroups(sorted))
        return sorted.indices.first { decision.statuses[$0] == .accepted }.map { sorted[$0].path }
    }

    /// `candidates` must be in path order, and `groups` made from them; the
    /// result is parallel to them.
    public static func decide(_ candidates: [AcceptanceCandidate], groups: RevisionGroups) -> Decision {
        var statuses = candidates.map { $0.isValid ? SubmissionStatus.superseded : .rejected }
        var conflicts: [Int: Issue] = [:]
        for revisions in groups.groups {
            var best: (revision: Int, index: Int)?
            for files in revisions {
                let revision = candidates[files[0]].name!.revision
                if files.count > 1 && Set(files.map { candidates[$0].contentDigest ?? [] }).count > 1 {
                    for i in files {
                        statuses[i] = .rejected
                        let others = files.filter { $0 != i }.map { candidates[$0].path }
                        conflicts[i] = Issue(.revisionConflict,
                            "\(others.joined(separator: ", ")) is also revision \(revision) of this county, dataset and period but holds different records: upload the right records as a new revision (_r\(revision + 1))")
                    }
                    continue
                }
                // `files` is in path order: the first is the submission.
                for i in files.dropFirst() { statuses[i] = .duplicate }
                if best == nil || revision > best!.revision { best = (revision, files[0]) }
            }
            if let best { statuses[best.index] = .accepted }
        }
        return Decision(statuses: statuses, conflicts: conflicts)
    }
}
