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

    private struct GroupKey: Hashable {
        let county: String
        let dataset: Dataset
        let period: String
    }

    /// Valid files by (county, dataset, period), then by revision, each
    /// list in path order.
    private static func revisionGroups(_ candidates: [AcceptanceCandidate]) -> [GroupKey: [Int: [Int]]] {
        var groups: [GroupKey: [Int: [Int]]] = [:]
        for (i, c) in candidates.enumerated() where c.isValid {
            guard let n = c.name else { continue }
            groups[GroupKey(county: n.county, dataset: n.dataset, period: n.period), default: [:]][n.revision, default: []].append(i)
        }
        return groups
    }

    /// The valid files that share their revision with another: the only ones
    /// whose content digest `decide` compares. In path order.
    public static func filesSharingARevision(_ candidates: [AcceptanceCandidate]) -> [Int] {
        revisionGroups(candidates).values.flatMap { $0.values.filter { $0.count > 1 }.joined() }.sorted()
    }

    /// `candidates` must be in path order; the result is parallel to it.
    public static func decide(_ candidates: [AcceptanceCandidate]) -> Decision {
        var statuses = candidates.map { $0.isValid ? SubmissionStatus.superseded : .rejected }
        var conflicts: [Int: Issue] = [:]
        for (_, revisions) in revisionGroups(candidates) {
            var best: (revision: Int, index: Int)?
            for (revision, files) in revisions {
                let digests = Set(files.map { candidates[$0].contentDigest ?? [] })
                if digests.count > 1 {
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
