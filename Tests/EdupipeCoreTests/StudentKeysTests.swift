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
}
