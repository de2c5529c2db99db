/// Section 3.1, `after_school`: one record per school, key `school_id`.
struct AfterSchoolRules {
    enum Stage: Int, Sendable, Vocabulary {
        case primary, junior, combined
        var word: StaticString {
            switch self {
            case .primary: "primary"
            case .junior: "junior"
            case .combined: "combined"
            }
        }
    }
    private(set) var totals = AfterSchoolTotals()
    /// A county has about 90 schools: a small table, grown if needed.
    private var schools = KeyLines(capacity: 256)

    mutating func check(_ v: FieldValues, _ c: inout RecordChecker, _ digest: inout ContentDigest) {
        _ = c.countyCode(v[0])
        let school = c.schoolID(v[1])
        _ = c.text(v[2], "school_name", required: false, maxCharacters: 100)
        let stage = c.choice(v[3], "stage", Stage.self)
        let enrolled = c.integer(v[4], "enrolled", 0...20000)
        let offers = c.boolean(v[5], "offers_service")
        let participants = c.integer(v[6], "participants", nil)
        let days = c.integer(v[7], "days_per_week", 0...7)
        let minutes = c.integer(v[8], "minutes_per_day", 0...480)
        let funded = c.boolean(v[9], "funding_secured")

        if let participants, let enrolled, participants > enrolled {
            c.fail(.rule, "participants", "participants \(participants) is more than enrolled \(enrolled): participants cannot exceed the school's enrolment")
        }
        if let offers {
            if !offers, let participants, participants != 0 {
                c.fail(.rule, "participants", "participants is \(participants) but offers_service is no: a school without after-school service has 0 participants")
            }
            if offers, let days, days < 1 {
                c.fail(.rule, "days_per_week", "days_per_week is 0 but offers_service is yes: a school that offers the service runs it at least 1 day a week")
            }
            if offers, let minutes, minutes < 1 {
                c.fail(.rule, "minutes_per_day", "minutes_per_day is 0 but offers_service is yes: a school that offers the service runs it at least 1 minute a day")
            }
        }
        if let school {
            if let first = schools.insert(school, line: c.line) {
                c.fail(.duplicateKey, "school_id", "school_id \(school) appears again (first on line \(first)): each school has exactly one record")
            }
        }

        if digest.enabled {
            digest.uint(school)
            digest.text(v[2])
            digest.int(stage?.rawValue)
            digest.int(enrolled)
            digest.bool(offers)
            digest.int(participants)
            digest.int(days)
            digest.int(minutes)
            digest.bool(funded)
            digest.endRecord()
        }

        guard c.recordValid, let offers, let enrolled, let participants, let days, let minutes, let funded else { return }
        totals.schools += 1
        totals.enrolled += enrolled
        totals.participants += participants
        if offers {
            totals.offering += 1
            if days >= 5 && minutes >= 120 { totals.fiveTwo += 1 }
            if funded { totals.funded += 1 }
        }
    }
}
