import EdupipeAggregate
import EdupipeRun

/// `GET /api/v1/status`: who has reported, as the inbox stands now, over
/// the counties the caller covers: the facts `edupipe status` gives after a
/// run (the file in force per county and dataset, when it came, late or not
/// against the plan's deadline, who is missing), in its JSON form.
extension Intake {
    func status(period: String?, caller: Caller, now: Int64) throws -> String {
        try index.refreshIfStale(now: now)
        let registry = caller.unit == Registry.nationalCode ? setup.registry : try setup.registry.scoped(to: caller.unit, allowCounty: true)
        var periods = period.map { [$0] } ?? index.periods()
        if periods.isEmpty { periods = setup.config.deadlines.keys.sorted() }
        // When a file came: its receipt, else a run's first sighting, else
        // its modification time.
        let received = try ledger.receivedTimes()
        let seen = try ledger.firstSeenTimes()
        let covered = Set(registry.counties)
        var statuses: [ReportingStatus] = []
        for p in periods {
            var files: [ReportingStatus.File] = []
            for (group, members) in index.groups(period: p) where covered.contains(group.county) {
                let sorted = members.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
                let judged = sorted.compactMap { m in verdicts.verdict(m.path).map { (m, $0) } }
                let candidates = judged.map { AcceptanceCandidate(path: $0.0.path, name: $0.0.name, isValid: $0.1.isValid, contentDigest: $0.1.digest) }
                let decision = Acceptance.decide(candidates, groups: Acceptance.RevisionGroups(candidates))
                for (i, (m, v)) in judged.enumerated() where decision.statuses[i] != .rejected {
                    let arrived = [received[m.path], seen[m.path]].compactMap { $0 }.min() ?? v.modifiedSeconds
                    files.append(ReportingStatus.File(path: m.path, county: m.name.county, dataset: m.name.dataset.rawValue,
                                                      revision: m.name.revision, firstSeen: arrived, status: decision.statuses[i],
                                                      records: v.records))
                }
            }
            statuses.append(ReportingStatus(period: p, files: files, registry: registry, datasets: setup.config.datasets,
                                            deadlines: setup.config.deadlines))
        }
        return StatusReport.json(statuses, run: try ledger.lastCompletedRun(), registry: registry)
    }
}
