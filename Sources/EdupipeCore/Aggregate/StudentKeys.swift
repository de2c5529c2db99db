import Crypto

/// Turns resident IDs into keyed hashes (HMAC-SHA256 with the installation's
/// secret): children are matched across counties by these keys, and only
/// these keys (shortened) are ever written.
public struct StudentKeys {
    /// An HMAC already keyed: each ID copies it instead of keying anew.
    private let keyed: HMAC<SHA256>

    public init(secret: [UInt8]) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: secret))
    }

    /// The HMAC of the canonical 18-character ID (check character `X` upper
    /// case) whose numeric form `ValueParsers.residentID` produced.
    public func key(forNumericID id: UInt64) -> [UInt8] {
        let body = id / 11
        let check = id % 11
        var text = String(body)
        text = String(repeating: "0", count: max(0, 17 - text.count)) + text
        text += check == 10 ? "X" : String(check)
        var mac = keyed
        mac.update(data: Array(text.utf8))
        return Array(mac.finalize())
    }

    /// The first 16 hex digits, as written to `duplicates.csv`.
    public static func shortHex(_ mac: [UInt8]) -> String {
        mac.prefix(8).map { b in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined()
    }
}
