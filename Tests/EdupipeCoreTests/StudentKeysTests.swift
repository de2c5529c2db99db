import Crypto
import Testing
@testable import EdupipeStandard
@testable import EdupipeAggregate

/// Children's keyed hashes: the hand-keyed HMAC must give exactly the bytes
/// of Crypto's `HMAC<SHA256>`, whatever the secret's length.
@Suite struct StudentKeysTests {
    /// The numeric form `ValueParsers.residentID` gives an 18-character ID.
    func numeric(_ id: String) throws -> UInt64 {
        let parsed = Array(id.utf8).withUnsafeBytes { ValueParsers.residentID($0) }
        guard case .valid(let n) = parsed else { throw Failure(id: id) }
        return n
    }

    struct Failure: Error { let id: String }

    @Test(arguments: [1, 32, 64, 65, 100])
    func keysAreHMACSHA256OfTheCanonicalID(secretLength: Int) throws {
        let secret = (0..<secretLength).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let keys = StudentKeys(secret: secret)
        for id in ["11010519491231002X", "420106200501011233", "429004201207150018", "440305201202291231", "510102199912310001"] {
            let n = try numeric(id)
            let expected = HMAC<SHA256>.authenticationCode(for: Array(id.utf8), using: SymmetricKey(data: secret))
            let reference = expected.withUnsafeBytes { StudentKey($0) }
            #expect(keys.key(forNumericID: n) == reference, "\(id) with a \(secretLength)-byte secret")
        }
        // A lower-case x is the same child as X.
        #expect(keys.key(forNumericID: try numeric("11010519491231002x")) == keys.key(forNumericID: try numeric("11010519491231002X")))
    }

    /// Any numeric form (17 digits and a check value below 11), not only
    /// valid IDs: thousands of them against Crypto's HMAC, so that every
    /// digit position and check character reaches the block by hand.
    @Test(arguments: [7, 64, 80])
    func manyKeysAgreeWithCryptosHMAC(secretLength: Int) {
        let secret = (0..<secretLength).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 101) }
        let keys = StudentKeys(secret: secret)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(secretLength)
        var mismatches = 0
        for round in 0..<3_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let body = round < 3 ? [0, 99_999_999_999_999_999, 12_345_678_901_234_567][round] : (state >> 8) % 100_000_000_000_000_000
            let check = UInt64(round % 11)
            let digits = String(body)
            let text = String(repeating: "0", count: 17 - digits.count) + digits + (check == 10 ? "X" : String(check))
            let expected = HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: secret))
            let reference = expected.withUnsafeBytes { StudentKey($0) }
            if keys.key(forNumericID: body * 11 + check) != reference { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
