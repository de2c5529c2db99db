import EdupipeStandard

/// The records of one synthetic county, as plain values (each dataset's
/// columns in the standard's order), before they are written in a form.
struct SyntheticCounty {
    let code: String
    let name: String
    var afterSchool: [[String]] = []
    var classes: [[String]] = []
    var dropout: [[String]] = []

    // The columns of the three datasets this generator draws realistic
    // records for (sections 3.1-3.3), in the standard's order.
    static let afterColumns = ["county_code", "school_id", "school_name", "stage", "enrolled", "offers_service",
                               "participants", "days_per_week", "minutes_per_day", "funding_secured"]
    static let classColumns = ["county_code", "school_id", "stage", "grade", "class_id", "students"]
    static let dropoutColumns = ["county_code", "student_id", "school_id", "grade", "identified_on", "status",
                                 "resolved_on", "reason"]

    /// How a county's files are broken on purpose, so that the quality
    /// checks (section 8) have something to find.
    enum Fault: Sendable {
        /// Only part of the schools and classes sent (over time, low).
        case partial
        /// Pupils per grade typed instead of per class (outlier, related).
        case perGrade
    }

    /// Draws a county: about 90 schools and 1,500 classes at scale 1, and a
    /// dropout list of 0-30 children. `shared` is a child also listed by the
    /// previous county (a cross-county duplicate), when there is one. The
    /// collections agree: a school's enrolment is the pupils of its
    /// compulsory classes, give or take 5% (related check within bounds).
    init(code: String, name: String, seed: UInt64, scale: Double, period: String, shared: String?, noise: Double = 0,
         fault: Fault? = nil) {
        self.code = code
        self.name = name
        var rng = SynthRandom(seed: seed, stream: UInt64(code)!)
        // Noise draws from a stream of its own: without noise, every other
        // draw (and so every file) is what it always was.
        var noisy = SynthRandom(seed: seed ^ 0x401_5E, stream: UInt64(code)!)
        func suffix(_ n: Int) -> String {
            let letters = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
            return String((0..<n).map { _ in letters[noisy.int(0...(letters.count - 1))] })
        }
        let year = Int(period.prefix(4)) ?? 2022
        let scale = fault == .partial ? scale * 0.4 : scale
        let schools = max(3, Int((Double(rng.int(60...120)) * scale).rounded()))
        let classCount = max(1, Int((Double(rng.int(1200...1800)) * scale).rounded()))
        // Classes first: a school's enrolment follows from them.
        var compulsory = [Int](repeating: 0, count: schools + 1)
        for c in 0..<classCount {
            let draw = rng.int(0...99)
            let (stage, grades, mean): (String, ClosedRange<Int>, Double) =
                draw < 60 ? ("primary", 1...6, 42) : (draw < 87 ? ("junior", 7...9, 46) : ("senior", 10...12, 50))
            let grade = rng.int(grades)
            let school = 1 + c % schools
            var students = min(95, max(15, rng.around(mean, spread: 6)))
            if stage != "senior" { compulsory[school] += students }
            if fault == .perGrade { students = min(150, students * 3) }
            var classID = "\(grade)-\(c / schools + 1)"
            if noise > 0 && noisy.chance(noise) { classID += "-" + suffix(8) }
            classes.append([code, code + zeroPadded(school, 4), stage, String(grade), classID, String(students)])
        }
        for s in 1...schools {
            let id = code + zeroPadded(s, 4)
            let stage = s % 10 < 6 ? "primary" : (s % 10 < 9 ? "junior" : "combined")
            let enrolled = min(20_000, max(1, compulsory[s] * rng.int(95...105) / 100))
            var schoolName = "\(name)第\(s)\(stage == "primary" ? "小学" : (stage == "junior" ? "中学" : "九年一贯制学校"))"
            if s % 17 == 0 { schoolName += ", 分校" }
            if noise > 0 && noisy.chance(noise) { schoolName += " " + suffix(12) }
            if rng.chance(0.98) {
                let participants = enrolled * rng.int(70...98) / 100
                let meets = rng.chance(0.9)
                let days = meets ? 5 : rng.int(3...5)
                let minutes = meets ? rng.int(120...180) : rng.int(60...119)
                afterSchool.append([code, id, schoolName, stage, String(enrolled), "1", String(participants),
                                    String(days), String(minutes), rng.chance(0.95) ? "1" : "0"])
            } else {
                afterSchool.append([code, id, schoolName, stage, String(enrolled), "0", "0", "0", "0", "0"])
            }
        }
        let children = Self.childCount(code: code, seed: seed)
        var ids = Set<String>()
        for k in 0..<children {
            let born = "\(year - rng.int(6...15))" + zeroPadded(rng.int(1...12), 2) + zeroPadded(rng.int(1...28), 2)
            let id = k == 0 ? Self.sharedChild(code: code, seed: seed, year: year) : ValueParsers.withCheckCharacter(code + born + zeroPadded(rng.int(0...998), 3))
            guard ids.insert(id).inserted else { continue }
            dropout.append(Self.child(id: id, county: code, rng: &rng, year: year, schools: schools))
        }
        if let shared, !ids.contains(shared) {
            dropout.append(Self.child(id: shared, county: code, rng: &rng, year: year, schools: schools))
        }
    }

    /// How many children a county lists: drawn from its own stream, so a
    /// neighbour can know it without drawing the whole county.
    static func childCount(code: String, seed: UInt64) -> Int {
        var rng = SynthRandom(seed: seed ^ 0xD10F, stream: UInt64(code)!)
        return rng.chance(0.2) ? 0 : rng.int(1...30)
    }

    /// The child a county's list always starts with (when it has one), which
    /// a neighbouring county may list too.
    static func sharedChild(code: String, seed: UInt64, year: Int) -> String {
        ValueParsers.withCheckCharacter(code + "\(year - 10)0601" + "999")
    }

    private static func child(id: String, county: String, rng: inout SynthRandom, year: Int, schools: Int) -> [String] {
        let month = rng.int(9...11)
        let identified = "\(year)-" + zeroPadded(month, 2) + "-" + zeroPadded(rng.int(1...28), 2)
        let draw = rng.int(0...99)
        let status = draw < 12 ? "out" : ["returned", "returned", "returned", "home_delivery", "exempt", "transferred"][draw % 6]
        let resolved = status == "out" ? "" : "\(year)-12-" + zeroPadded(rng.int(1...28), 2)
        let reason = ["economic", "learning", "health", "family", "other", ""][rng.int(0...5)]
        let school = rng.chance(0.8) ? county + zeroPadded(rng.int(1...schools), 4) : ""
        return [county, id, school, String(rng.int(1...9)), identified, status, resolved, reason]
    }
}

/// `n` in decimal, left-padded with zeros to `width` digits.
func zeroPadded(_ n: Int, _ width: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
