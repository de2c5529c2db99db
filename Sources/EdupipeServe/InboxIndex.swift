import Synchronization
import EdupipeInput
import EdupipeStandard

/// What the intake knows of the inbox: every submission file by name and by
/// (county, dataset, period), from a scan when the server starts and every
/// file it has stored since. It is scanned again when older than
/// `rescanSeconds`, so that files an operator copies in are seen too.
final class InboxIndex: Sendable {
    /// One (county, dataset, period): the files that compete to be in force.
    struct Group: Hashable, Sendable {
        let county: String
        let dataset: String
        let period: String

        init(_ name: SubmissionName) {
            county = name.county
            dataset = name.dataset.rawValue
            period = name.period
        }

        init(county: String, dataset: String, period: String) {
            self.county = county
            self.dataset = dataset
            self.period = period
        }
    }

    /// A submission file: its inbox path and its parsed name.
    struct Member: Sendable {
        let path: String
        let name: SubmissionName
    }

    private struct State {
        var byName: [String: Member] = [:]
        var groups: [Group: [Member]] = [:]
        var scannedAt: Int64 = .min
    }

    let root: String
    let datasets: [Dataset]
    let rescanSeconds: Int64
    private let state = Mutex(State())

    init(root: String, datasets: [Dataset], rescanSeconds: Int64) {
        self.root = root
        self.datasets = datasets
        self.rescanSeconds = rescanSeconds
    }

    /// Lists the inbox again when the last listing is older than
    /// `rescanSeconds`. The listing runs outside the lock.
    func refreshIfStale(now: Int64) throws {
        let last = state.withLock { $0.scannedAt }
        guard last == .min || now - last >= rescanSeconds else { return }
        try rescan(now: now)
    }

    func rescan(now: Int64) throws {
        var fresh = State()
        fresh.scannedAt = now
        for entry in try Inbox.entries(root) {
            let file = SubmissionValidator.lastComponent(entry.path)
            guard let name = SubmissionName.parse(file, datasets: datasets) else { continue }
            let m = Member(path: entry.path, name: name)
            // Two files of one name in different folders: the first by path
            // answers for the name (both still compete in their group).
            if fresh.byName[file] == nil { fresh.byName[file] = m }
            fresh.groups[Group(name), default: []].append(m)
        }
        state.withLock { $0 = fresh }
    }

    /// The file of this name anywhere in the inbox.
    func member(named file: String) -> Member? { state.withLock { $0.byName[file] } }

    /// The files of `group`, in path order.
    func members(of group: Group) -> [Member] {
        state.withLock { $0.groups[group] ?? [] }.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// A file the intake has just stored.
    func add(_ m: Member, fileName: String) {
        state.withLock { s in
            if s.byName[fileName] == nil { s.byName[fileName] = m }
            var list = s.groups[Group(m.name), default: []]
            if !list.contains(where: { $0.path == m.path }) { list.append(m) }
            s.groups[Group(m.name)] = list
        }
    }

    /// Every group with its files, for the status of a period.
    func groups(period: String) -> [Group: [Member]] {
        state.withLock { $0.groups.filter { $0.key.period == period } }
    }

    /// The periods of the files in the inbox, sorted.
    func periods() -> [String] {
        state.withLock { Set($0.groups.keys.map(\.period)) }.sorted()
    }
}
