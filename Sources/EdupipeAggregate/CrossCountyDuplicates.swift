/// Children listed by two or more counties in force for one period, found
/// through keyed hashes, and counted per prefecture, province and nation.
public struct CrossCountyDuplicates: Sendable {
    /// Each child listed by two or more counties: short key and sorted counties.
    public let listed: [(key: String, counties: [String])]
    public let national: Int
    public let byProvince: [String: Int]
    public let byPrefecture: [String: Int]

    /// `lists`: each county's dropout list in force, as keyed hashes.
    public init(lists: [(county: String, students: [StudentKey])], registry: Registry) {
        // Nearly every child is listed once: remember the first list, and
        // keep a list of lists only for the children seen again. A county
        // has one list in force and no child twice in it. The keys are
        // HMAC outputs, evenly spread already: their first word picks the
        // slot of an open-addressing table, with no hashing of its own.
        let total = lists.reduce(0) { $0 + $1.students.count }
        let mask = max(16, (total * 2).nextPowerOfTwo) - 1
        var slots = [Int32](repeating: -1, count: mask + 1)
        var seen: [(key: StudentKey, first: Int)] = []
        seen.reserveCapacity(total)
        var otherLists: [Int: [Int]] = [:]
        for (index, list) in lists.enumerated() {
            for key in list.students {
                var slot = Int(truncatingIfNeeded: key.digest.words.0) & mask
                while slots[slot] >= 0 && seen[Int(slots[slot])].key != key { slot = (slot + 1) & mask }
                if slots[slot] >= 0 {
                    let entry = Int(slots[slot])
                    if seen[entry].first != index { otherLists[entry, default: []].append(index) }
                } else {
                    slots[slot] = Int32(seen.count)
                    seen.append((key, index))
                }
            }
        }
        var listed: [(key: String, counties: [String])] = []
        var national = 0
        var byProvince: [String: Int] = [:]
        var byPrefecture: [String: Int] = [:]
        for (entry, others) in otherLists {
            let counties = Set(([seen[entry].first] + others).map { lists[$0].county })
            guard counties.count >= 2 else { continue }
            national += 1
            listed.append((seen[entry].key.shortHex, counties.sorted()))
            var perProvince: [String: Int] = [:]
            var perPrefecture: [String: Int] = [:]
            for c in counties {
                if let p = registry.province(of: c) { perProvince[p, default: 0] += 1 }
                if let p = registry.prefecture(of: c) { perPrefecture[p, default: 0] += 1 }
            }
            for (p, n) in perProvince where n >= 2 { byProvince[p, default: 0] += 1 }
            for (p, n) in perPrefecture where n >= 2 { byPrefecture[p, default: 0] += 1 }
        }
        self.listed = listed.sorted { ($0.key, $0.counties.joined(separator: ";")) < ($1.key, $1.counties.joined(separator: ";")) }
        self.national = national
        self.byProvince = byProvince
        self.byPrefecture = byPrefecture
    }
}
