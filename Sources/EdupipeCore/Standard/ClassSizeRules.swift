/// Section 3.3, `class_size`: one record per class, key (`school_id`, `class_id`).
struct ClassSizeRules {
    enum Stage: Int, Sendable, Vocabulary {
        case primary, junior, senior
        var word: StaticString {
            switch self {
            case .primary: "primary"
            case .junior: "junior"
            case .senior: "senior"
            }
        }
    }
    private(set) var totals = ClassSizeTotals()
    private var keys = ClassKeySet()

    static func grades(_ s: Stage) -> ClosedRange<Int> {
        switch s {
        case .primary: 1...6
        case .junior: 7...9
        case .senior: 10...12
        }
    }

    /// The standard class size of each stage (above it: over standard).
    static func standardSize(_ s: Stage) -> Int { s == .primary ? 45 : 50 }

    mutating func check(_ v: FieldValues, _ c: inout RecordChecker, _ digest: inout ContentDigest) {
        _ = c.countyCode(v[0])
        let school = c.schoolID(v[1])
        let stage = c.choice(v[2], "stage", Stage.self)
        var grade = c.integer(v[3], "grade", nil)
        if let g = grade {
            if let stage {
                let allowed = Self.grades(stage)
                if !allowed.contains(g) {
                    c.fail(.range, "grade", "grade \(g) is not a \(Bytes.string(v[2])) grade: \(Bytes.string(v[2])) classes are grades \(allowed.lowerBound)-\(allowed.upperBound)")
                    grade = nil
                }
            } else if !(1...12).contains(g) {
                c.fail(.range, "grade", "grade \(g) is outside 1..12 (primary 1-6, junior 7-9, senior 10-12)")
                grade = nil
            }
        }
        let classOK = c.text(v[4], "class_id", required: true, maxCharacters: 20)
        let students = c.integer(v[5], "students", 1...150)

        if let school, classOK, v[4].count > 0 {
            if let first = keys.insert(school: school, classID: v[4], line: c.line) {
                c.fail(.duplicateKey, "class_id", "class \(Bytes.string(v[4])) of school \(school) appears again (first on line \(first)): each class has exactly one record")
            }
        }

        if digest.enabled {
            digest.uint(school)
            digest.int(stage?.rawValue)
            digest.int(grade)
            digest.text(v[4])
            digest.int(students)
            digest.endRecord()
        }

        guard c.recordValid, let stage, let students else { return }
        var t = ClassStageTotals()
        t.classes = 1
        t.students = students
        if students >= 66 { t.superLarge = 1 } else if students >= 56 { t.large = 1 }
        if students > Self.standardSize(stage) { t.overStandard = 1 }
        switch stage {
        case .primary: totals.primary.add(t)
        case .junior: totals.junior.add(t)
        case .senior: totals.senior.add(t)
        }
    }
}

/// The (school_id, class_id) pairs of one file, with the line each was
/// first seen on, as 64-bit fingerprints: 12 bytes a key, so even a file of
/// millions of classes keeps the check in tens of megabytes. Two different
/// keys share a fingerprint with probability about n²/2⁶⁵ (10⁻¹³ for a
/// county's 1,500 classes), which would only reject a file falsely.
struct ClassKeySet {
    /// A county has about 1,500 classes.
    private var keys = KeyLines(capacity: 4096)

    /// Returns the line of the earlier record with the same key, if any.
    mutating func insert(school: UInt64, classID: UnsafeRawBufferPointer, line: Int) -> Int? {
        keys.insert(Self.fingerprint(school: school, classID: classID), line: line)
    }

    /// A fixed (seedless) 64-bit hash, so results never vary between runs.
    /// Class IDs are short: up to 8 bytes are read with two overlapping
    /// loads, which the length (mixed in first) keeps unambiguous.
    @inline(__always)
    static func fingerprint(school: UInt64, classID: UnsafeRawBufferPointer) -> UInt64 {
        let n = classID.count
        var h = mix(school ^ 0x9E37_79B9_7F4A_7C15) ^ UInt64(n)
        guard let p = classID.baseAddress else { return mix(h ^ 0xC2B2_AE3D_27D4_EB4F) }
        var i = 0
        while i + 8 <= n {
            h = mix(h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        let left = n - i
        var tail: UInt64 = 0
        if left >= 4 {
            tail = UInt64(p.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                | UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
        } else if left > 0 {
            tail = UInt64(p.load(fromByteOffset: i, as: UInt8.self))
                | UInt64(p.load(fromByteOffset: i + left / 2, as: UInt8.self)) << 8
                | UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self)) << 16
        }
        return mix(h ^ tail ^ 0xC2B2_AE3D_27D4_EB4F)
    }

    /// MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var k = x &* 0xFF51_AFD7_ED55_8CCD
        k ^= k >> 33
        k = k &* 0xC4CE_B9FE_1A85_EC53
        k ^= k >> 33
        return k
    }
}
