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
    public static func parse(_ fileName: String) -> SubmissionName? {
        var name = Substring(fileName)
        let format: Format
        var gz = false
        if name.hasSuffix(".csv.gz") { format = .csv; gz = true; name = name.dropLast(7) }
        else if name.hasSuffix(".xml.gz") { format = .xml; gz = true; name = name.dropLast(7) }
        else if name.hasSuffix(".csv") { format = .csv; name = name.dropLast(4) }
        else if name.hasSuffix(".xml") { format = .xml; name = name.dropLast(4) }
        else { return nil }

        let county = name.prefix(6)
        guard county.count == 6, county.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        name = name.dropFirst(6)
        guard name.first == "_" else { return nil }
        name = name.dropFirst()

        var dataset: Dataset?
        for d in Dataset.allCases where name.hasPrefix(d.rawValue + "_") {
            dataset = d
            name = name.dropFirst(d.rawValue.count + 1)
            break
        }
        guard let dataset else { return nil }

        // YYYY-spring or YYYY-autumn, then optionally _r<revision>.
        let periodEnd = name.firstIndex(of: "_") ?? name.endIndex
        let period = String(name[..<periodEnd])
        guard isPeriod(period) else { return nil }
        name = name[periodEnd...]

        var revision = 1
        if !name.isEmpty {
            guard name.hasPrefix("_r") else { return nil }
            let digits = name.dropFirst(2)
            guard !digits.isEmpty, digits.count <= 6, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let r = Int(digits), r >= 1 else { return nil }
            revision = r
        }
        return SubmissionName(county: String(county), dataset: dataset, period: period,
                              revision: revision, format: format, gzipName: gz)
    }

    /// `YYYY-spring` or `YYYY-autumn`.
    public static func isPeriod(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count >= 10, u[0..<4].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), u[4] == UInt8(ascii: "-") else { return false }
        let season = String(decoding: u[5...], as: UTF8.self)
        return season == "spring" || season == "autumn"
    }

    /// What a clerk should read when a name does not parse.
    public static let expectedForm =
        "a submission is named <county>_<dataset>_<period>[_r<revision>].<csv|csv.gz|xml|xml.gz>, e.g. 110101_class_size_2022-autumn_r2.csv.gz, with dataset after_school, dropout or class_size and period YYYY-spring or YYYY-autumn"

    /// Says which part of a rejected name is wrong, for the `E_FILENAME` message.
    public static func diagnose(_ fileName: String) -> String {
        let lower = fileName.lowercased()
        guard [".csv", ".csv.gz", ".xml", ".xml.gz"].contains(where: { lower.hasSuffix($0) }) else {
            return "\(fileName) does not end in .csv, .csv.gz, .xml or .xml.gz: \(expectedForm)"
        }
        if lower != fileName {
            return "\(fileName) has upper-case letters where the standard has lower case: \(expectedForm)"
        }
        let parts = fileName.split(separator: "_", omittingEmptySubsequences: false)
        if let first = parts.first, first.count != 6 || !first.allSatisfy(\.isASCII) || Int(first) == nil {
            return "\(fileName) does not start with a 6-digit county code: \(expectedForm)"
        }
        let rest = fileName.dropFirst(7)
        if !Dataset.allCases.contains(where: { rest.hasPrefix($0.rawValue + "_") }) {
            return "\(fileName) does not name a dataset after the county code (after_school, dropout or class_size): \(expectedForm)"
        }
        return "\(fileName) has no valid period (YYYY-spring or YYYY-autumn) or revision (_r1, _r2, ...): \(expectedForm)"
    }
}
