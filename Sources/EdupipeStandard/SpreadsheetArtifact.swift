import EdupipeSupport

/// What Excel or WPS does to a value on its way to a CSV file, recognised
/// so the message can name the fix: a long number column shown in
/// scientific notation (`1.10101E+17`: the ID's last digits are lost), a
/// code saved with a decimal part (`1101010001.0`), a date saved as its
/// serial number (`44835`), digits typed full-width (`４５`).
enum SpreadsheetArtifact: Equatable {
    case scientific
    /// `fixed` is the digits before the point.
    case decimal(String)
    /// `fixed` is the date the serial number stands for.
    case serialDate(String)
    /// `fixed` is the value in ASCII digits.
    case fullWidth(String)

    var fixed: String? {
        switch self {
        case .scientific: nil
        case .decimal(let s), .serialDate(let s), .fullWidth(let s): s
        }
    }

    init?(_ bytes: [UInt8], kind: FieldSpec.Kind) {
        func digits(_ s: ArraySlice<UInt8>) -> Bool { !s.isEmpty && s.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        switch kind {
        case .residentID, .schoolID, .integer, .countyCode:
            // 1.10101E+17, 1.1E+9, 2E+3.
            if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }),
               e + 2 < bytes.count, bytes[e + 1] == UInt8(ascii: "+"), digits(bytes[(e + 2)...]) {
                let mantissa = bytes[..<e]
                let dot = mantissa.firstIndex(of: UInt8(ascii: "."))
                let whole = dot.map { mantissa[..<$0] } ?? mantissa
                let fraction = dot.map { mantissa[($0 + 1)...] } ?? []
                if digits(whole) && (dot == nil || digits(fraction)) { self = .scientific; return }
            }
            // 1101010001.0, 45.00 (never for a resident ID: its digits
            // would be the ID itself).
            if kind != .residentID, let dot = bytes.firstIndex(of: UInt8(ascii: ".")), digits(bytes[..<dot]),
               dot + 1 < bytes.count, bytes[(dot + 1)...].allSatisfy({ $0 == UInt8(ascii: "0") }) {
                self = .decimal(String(decoding: bytes[..<dot], as: UTF8.self))
                return
            }
            // Full-width digits: U+FF10..U+FF19 are EF BC 90..99.
            var ascii: [UInt8] = []
            var i = 0
            while i + 3 <= bytes.count, bytes[i] == 0xEF, bytes[i + 1] == 0xBC, bytes[i + 2] >= 0x90, bytes[i + 2] <= 0x99 {
                ascii.append(bytes[i + 2] - 0x90 + 0x30)
                i += 3
            }
            if i == bytes.count && !ascii.isEmpty { self = .fullWidth(String(decoding: ascii, as: UTF8.self)); return }
            return nil
        case .date:
            // Excel's serial days: 1 is 1900-01-01 (and it counts a 29
            // February 1900 that never was), so from 61 on, day 0 is
            // 1899-12-30. Five digits are the years 1927 to 2173.
            guard bytes.count == 5, digits(bytes[...]), let serial = Int(String(decoding: bytes, as: UTF8.self)), serial >= 10_000 else { return nil }
            self = .serialDate(Self.civil(days: serial - 25_569))
        default:
            return nil
        }
    }

    /// The date `days` after 1970-01-01, as YYYY-MM-DD.
    static func civil(days: Int) -> String { CivilDate.text(Int64(days)) }
}
