/// Section 3.2, `dropout`: one record per child, key `student_id`.
struct DropoutRules {
    enum Status: Int, Sendable, Vocabulary {
        case out, returned, homeDelivery, exempt, transferred
        var word: StaticString {
            switch self {
            case .out: "out"
            case .returned: "returned"
            case .homeDelivery: "home_delivery"
            case .exempt: "exempt"
            case .transferred: "transferred"
            }
        }
    }
    enum Reason: Int, Sendable, Vocabulary {
        case economic, learning, health, family, other
        var word: StaticString {
            switch self {
            case .economic: "economic"
            case .learning: "learning"
            case .health: "health"
            case .family: "family"
            case .other: "other"
            }
        }
    }
    private(set) var totals = DropoutTotals()
    private var students = KeyLines(capacity: 64)

    mutating func check(_ v: FieldValues, _ c: inout RecordChecker, _ digest: inout ContentDigest) {
        _ = c.countyCode(v[0])
        let student = c.residentID(v[1], "student_id")
        let school = c.schoolID(v[2], required: false)
        let grade = c.integer(v[3], "grade", 1...9)
        let identified = c.date(v[4], "identified_on")
        let status = c.choice(v[5], "status", Status.self)
        var resolved: Int?
        if v[6].count == 0 {
            if let status, status != .out {
                c.fail(.required, "resolved_on", "resolved_on is missing: a child whose status is \(Self.name(status)) needs the date the case was resolved")
            }
        } else {
            resolved = c.date(v[6], "resolved_on", required: false)
        }
        let reason = c.choice(v[7], "reason", required: false, Reason.self)

        if status == .out, v[6].count > 0 {
            c.fail(.rule, "resolved_on", "resolved_on is \(Bytes.string(v[6])) but status is out: leave resolved_on empty while the child is still out of school")
        }
        if let resolved, let identified, resolved < identified {
            c.fail(.rule, "resolved_on", "resolved_on \(Bytes.string(v[6])) is before identified_on \(Bytes.string(v[4])): a case is resolved on or after the day it was identified")
        }
        if let student {
            if let first = students.insert(student, line: c.line) {
                c.fail(.duplicateKey, "student_id", "student_id \(ValueParsers.maskedID(v[1])) is listed again (first on line \(first)): each child has exactly one record")
            }
        }

        if digest.enabled {
            digest.uint(student)
            digest.uint(school)
            digest.int(grade)
            digest.int(identified)
            digest.int(status?.rawValue)
            digest.int(resolved)
            digest.int(reason?.rawValue)
            digest.endRecord()
        }

        guard c.recordValid, let student, let status else { return }
        totals.records += 1
        if status == .out { totals.outstanding += 1 }
        totals.students.append(student)
    }

    private static func name(_ s: Status) -> String { "\(s.word)" }
}
