#if canImport(Glibc)
import Glibc
#endif

/// The parts of a submission file name (section 1.1):
/// `<county>_<dataset>_<period>[_r<revision>].<ext>`, e.g.
/// `110101_class_size_2022-autumn_r2.csv.gz`.
public struct SubmissionName: Sendable, Equatable, Hashable {
    public enum Format: String, Sendable { case csv, xml }

    public let county: String
    public let dataset: Dataset
    public let period: String
    public let revision: Int
    public let format: Format
    /// Whether the name ends in `.gz` (compression itself is detected from
    /// the bytes, not the name).
    public let gzipName: Bool

    /// Parses the last path component; nil when it does not follow the form.
    /// Works on the UTF-8 bytes: the form is ASCII, and `String`'s
    /// character-wise `hasSuffix` and `dropFirst` cost more per file than
    /// reading a small file's records.
    /// `datasets` are the plan's: a name with any other dataset does not parse.
    public static func parse(_ fileName: String, datasets: [Dataset]) -> SubmissionName? {
        parse(bytes: Array(fileName.utf8), datasets: datasets)
    }

    private static let csvGz = Array(".csv.gz".utf8), xmlGz = Array(".xml.gz".utf8)
    private static let csv = Array(".csv".utf8), xml = Array(".xml".utf8)

    private static func parse(bytes u: [UInt8], datasets: [Dataset]) -> SubmissionName? {
        var end = u.count
        func endsWith(_ suffix: [UInt8]) -> Bool {
            let n = suffix.count
            guard end >= n else { return false }
            for k in 0..<n where u[end - n + k] != suffix[k] { return false }
            return true
        }
        let format: Format
        var gz = false
        if endsWith(Self.csvGz) { format = .csv; gz = true; end -= 7 }
        else if endsWith(Self.xmlGz) { format = .xml; gz = true; end -= 7 }
        else if endsWith(Self.csv) { format = .csv; end -= 4 }
        else if endsWith(Self.xml) { format = .xml; end -= 4 }
        else { return nil }

        guard end >= 7, u[0..<6].allSatisfy(isDigit), u[6] == UInt8(ascii: "_") else { return nil }
        var p = 7
        // The longest name that matches: `class_size_x` must not be read
        // as `class`.
        var dataset: Dataset?
        var length = 0
        for d in datasets {
            let word = d.rawValue.utf8
            if word.count > length, end - p > word.count, u[p..<(p + word.count)].elementsEqual(word),
               u[p + word.count] == UInt8(ascii: "_") {
                dataset = d
                length = word.count
            }
        }
        guard let dataset else { return nil }
        p += length + 1

        // YYYY-spring or YYYY-autumn, then optionally _r<revision>.
        let periodEnd = u[p..<end].firstIndex(of: UInt8(ascii: "_")) ?? end
        let period = String(decoding: u[p..<periodEnd], as: UTF8.self)
        guard isPeriod(period) else { return nil }
        p = periodEnd

        var revision = 1
        if p < end {
            let digits = u[(p + 2 <= end ? p + 2 : end)..<end]
            guard end - p > 2, u[p + 1] == UInt8(ascii: "r"), digits.count <= 6, digits.allSatisfy(isDigit) else { return nil }
            revision = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard revision >= 1 else { return nil }
        }
        return SubmissionName(county: String(decoding: u[0..<6], as: UTF8.self), dataset: dataset, period: period,
                              revision: revision, format: format, gzipName: gz)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// `YYYY-spring` or `YYYY-autumn`.
    public static func isPeriod(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 11, u[0..<4].allSatisfy(isDigit), u[4] == UInt8(ascii: "-") else { return false }
        return u[5...].elementsEqual("spring".utf8) || u[5...].elementsEqual("autumn".utf8)
    }

    /// "a, b or c".
    package static func wordList(_ words: [String]) -> String {
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " or " + words[words.count - 1]
    }

    /// Which part of a rejected name is wrong.
    public enum Diagnosis: String, Sendable, CaseIterable {
        case ext = "extension", upperCase = "upper_case", county, dataset, period
    }

    /// Which part of a rejected name is wrong; the plan's `file.name_*`
    /// messages say it in words.
    public static func diagnosis(_ fileName: String, datasets: [Dataset]) -> Diagnosis {
        let lower = fileName.lowercased()
        guard [".csv", ".csv.gz", ".xml", ".xml.gz"].contains(where: { lower.hasSuffix($0) }) else { return .ext }
        if lower != fileName { return .upperCase }
        let parts = fileName.split(separator: "_", omittingEmptySubsequences: false)
        if let first = parts.first, first.count != 6 || !first.allSatisfy(\.isASCII) || Int(first) == nil { return .county }
        if !datasets.contains(where: { fileName.dropFirst(7).hasPrefix($0.rawValue + "_") }) { return .dataset }
        return .period
    }
}
