import EdupipeInput
import EdupipeStandard
import EdupipeAggregate

/// What the night's acceptance rules will make of a file, as the inbox
/// stands now (section 2): in force, superseded, a duplicate, in a revision
/// conflict, or rejected and so replacing nothing. The same `Acceptance`
/// the run applies, over the file's (county, dataset, period).
struct Standing: Sendable {
    enum Kind: String, Sendable {
        case inForce = "in_force"
        case superseded
        case duplicate
        case revisionConflict = "revision_conflict"
        case rejected
    }

    /// A file of the same group: its path and revision.
    struct Other: Sendable, Equatable {
        let path: String
        let revision: Int
    }

    let kind: Kind
    /// The file in force before this one came (nil: none); when `kind` is
    /// `inForce` and this is set, this file supersedes it.
    let before: Other?
    /// The file in force with this one in the inbox (itself when in force).
    let after: Other?
    /// The other files of its revision when in conflict.
    let conflicting: [String]

    /// Decides `path` (named `name`, valid or not, with its records'
    /// digest) among `others`, the rest of its group with their verdicts.
    static func decide(path: String, name: SubmissionName, isValid: Bool, digest: [UInt8]?,
                       others: [(member: InboxIndex.Member, verdict: FileVerdicts.Verdict)]) -> Standing {
        let rest = others.filter { $0.member.path != path }
        func candidates(_ list: [(String, SubmissionName, Bool, [UInt8]?)]) -> [AcceptanceCandidate] {
            list.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
                .map { AcceptanceCandidate(path: $0.0, name: $0.1, isValid: $0.2, contentDigest: $0.3) }
        }
        func inForce(_ c: [AcceptanceCandidate]) -> (Other?, Acceptance.Decision) {
            let d = Acceptance.decide(c, groups: Acceptance.RevisionGroups(c))
            let i = d.statuses.firstIndex(of: .accepted)
            return (i.map { Other(path: c[$0].path, revision: c[$0].name?.revision ?? 1) }, d)
        }
        let without = candidates(rest.map { ($0.member.path, $0.member.name, $0.verdict.isValid, $0.verdict.digest) })
        let with = candidates(rest.map { ($0.member.path, $0.member.name, $0.verdict.isValid, $0.verdict.digest) }
                              + [(path, name, isValid, digest)])
        let (before, _) = inForce(without)
        let (after, decision) = inForce(with)
        guard let me = with.firstIndex(where: { $0.path == path }) else {
            return Standing(kind: .rejected, before: before, after: after, conflicting: [])
        }
        let kind: Kind
        var conflicting: [String] = []
        switch decision.statuses[me] {
        case .accepted: kind = .inForce
        case .superseded: kind = .superseded
        case .duplicate: kind = .duplicate
        case .rejected:
            if decision.conflicts[me] != nil {
                kind = .revisionConflict
                conflicting = with.filter { $0.path != path && $0.isValid && $0.name?.revision == name.revision }.map(\.path)
            } else {
                kind = .rejected
            }
        }
        return Standing(kind: kind, before: before, after: after, conflicting: conflicting)
    }

    /// In the caller's language: what acceptance will do with the file.
    func message(_ language: Language, revision: Int) -> String {
        let zh = language == .zh
        switch kind {
        case .inForce:
            if let before, before.path != after?.path {
                return zh ? "今晚将以此文件为准，取代第 \(before.revision) 版（\(before.path)）"
                    : "in force from tonight's run, superseding revision \(before.revision) (\(before.path))"
            }
            return zh ? "今晚将以此文件为准" : "in force from tonight's run"
        case .superseded:
            let other = after.map { zh ? "更高的第 \($0.revision) 版（\($0.path)）" : "the higher revision \($0.revision) (\($0.path))" } ?? ""
            return zh ? "有效，但\(other)仍为准：此文件不会被采用" : "valid, but \(other) stays in force: this file will not be used"
        case .duplicate:
            return zh ? "与已收到的同一版次文件内容相同，视为重复，不影响结果" : "the same records as a file of the same revision already here: a duplicate, ignored"
        case .revisionConflict:
            let list = conflicting.joined(separator: zh ? "、" : ", ")
            return zh ? "与 \(list) 同为第 \(revision) 版但内容不同：两者都将被拒收，请以第 \(revision + 1) 版（_r\(revision + 1)）重新上传正确的数据"
                : "\(list) is also revision \(revision) but holds different records: both will be rejected; upload the right records as revision \(revision + 1) (_r\(revision + 1))"
        case .rejected:
            if let after {
                return zh ? "文件被拒收，不会取代现行的第 \(after.revision) 版（\(after.path)）" : "rejected, so it does not replace revision \(after.revision) in force (\(after.path))"
            }
            return zh ? "文件被拒收：本县该数据集本期尚无有效文件" : "rejected: no file of this county, dataset and period is in force"
        }
    }
}
