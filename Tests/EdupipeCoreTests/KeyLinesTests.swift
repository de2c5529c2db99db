import Testing
@testable import EdupipeStandard

/// The key table behind `E_DUPLICATE_KEY`: it must find every repeated key,
/// with the line it was first seen on, however often it has grown in place.
@Suite struct KeyLinesTests {
    /// A deterministic sequence of well-spread keys (SplitMix64).
    func keys(_ n: Int, seed: UInt64) -> [UInt64] {
        var x = seed
        return (0..<n).map { _ in
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func findsEveryRepeatAcrossManyDoublings() {
        var table = KeyLines(capacity: 16)
        let distinct = keys(50_000, seed: 7)
        for (i, k) in distinct.enumerated() { #expect(table.insert(k, line: i + 2) == nil) }
        // Every key again, in another order: each reports its first line.
        var wrong = 0
        for (i, k) in distinct.enumerated().reversed() where table.insert(k, line: 1_000_000 + i) != i + 2 { wrong += 1 }
        #expect(wrong == 0)
    }

    @Test func keysSharingAHomeSlotStayReachable() {
        // Multiples of 2^32 times an odd constant's inverse land on few home
        // slots: long probe chains, wrapping around the end of the table.
        var table = KeyLines(capacity: 16)
        let crowded = (0..<3_000).map { UInt64($0) << 40 }
        for (i, k) in crowded.enumerated() { #expect(table.insert(k, line: i + 1) == nil) }
        for (i, k) in crowded.enumerated() { #expect(table.insert(k, line: 99) == i + 1) }
    }

    @Test func theSameKeyTwiceInAClassFileIsReportedWithItsFirstLine() throws {
        var keys = KeyLines(capacity: 16)
        func insert(school: UInt64, classID: UnsafeRawBufferPointer, line: Int) -> Int? {
            keys.insert(KeyFingerprint.fingerprint(school: school, classID: classID), line: line)
        }
        let a = Array("7-1".utf8), b = Array("7-2".utf8), longer = Array("高一(3)班".utf8)
        #expect(a.withUnsafeBytes { insert(school: 1_101_010_001, classID: $0, line: 2) } == nil)
        #expect(b.withUnsafeBytes { insert(school: 1_101_010_001, classID: $0, line: 3) } == nil)
        #expect(a.withUnsafeBytes { insert(school: 1_101_010_002, classID: $0, line: 4) } == nil)
        #expect(longer.withUnsafeBytes { insert(school: 1_101_010_001, classID: $0, line: 5) } == nil)
        #expect(a.withUnsafeBytes { insert(school: 1_101_010_001, classID: $0, line: 6) } == 2)
        #expect(longer.withUnsafeBytes { insert(school: 1_101_010_001, classID: $0, line: 7) } == 5)
    }

    @Test func fingerprintsSeeEveryByteOfTheClassID() {
        // IDs of 1 to 20 bytes, each changed in one position: the overlapping
        // loads of the short tail must still see every byte.
        for n in 1...20 {
            let id = (0..<n).map { UInt8(0x41 + $0) }
            let base = id.withUnsafeBytes { KeyFingerprint.fingerprint(school: 1_101_010_001, classID: $0) }
            for i in 0..<n {
                var changed = id
                changed[i] = 0x30
                let other = changed.withUnsafeBytes { KeyFingerprint.fingerprint(school: 1_101_010_001, classID: $0) }
                #expect(other != base, "byte \(i) of a \(n)-byte class ID is not part of its fingerprint")
            }
            let shorter = Array(id.dropLast()).withUnsafeBytes { KeyFingerprint.fingerprint(school: 1_101_010_001, classID: $0) }
            #expect(shorter != base)
        }
    }
}
