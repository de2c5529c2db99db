import EdupipeStandard

/// Example records and empty files for people: the format guide's
/// examples and `edupipe template`. A field's example is the plan's
/// (`example:`), or one of its type that meets its range.
public enum Examples {
    /// One record's values, in field order.
    public static func record(_ p: DatasetPlan, county: String = "110101") -> [String] {
        p.fields.map { f in
            if let e = f.example { return e }
            switch f.kind {
            case .countyCode: return county
            case .schoolID: return county + "0001"
            case .residentID:
                // An example number, no one's.
                return ValueParsers.withCheckCharacter(county + "20100101" + "001")
            case .integer:
                let r = f.range ?? f.ranges.first?.range ?? 0...1
                return String(min(max(r.lowerBound, 1), r.upperBound))
            case .boolean: return "1"
            case .date: return "2023-09-01"
            case .enumeration: return f.required ? f.words[0] : ""
            case .text: return f.required ? "1" : ""
            }
        }
    }

    public static func csv(_ p: DatasetPlan, rows: [[String]]) -> String {
        var s = p.fields.map(\.name).joined(separator: ",") + "\n"
        for r in rows { s += r.map(CSVLine.escape).joined(separator: ",") + "\n" }
        return s
    }

    public static func xml(_ p: DatasetPlan, county: String, period: String, rows: [[String]], encoding: String = "UTF-8") -> String {
        var s = "<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n<submission dataset=\"\(p.dataset.rawValue)\" county=\"\(county)\" period=\"\(period)\">\n"
        for r in rows {
            s += "  <record>\n"
            for (f, v) in zip(p.fields, r) where !v.isEmpty { s += "    <\(f.name)>\(escape(v))</\(f.name)>\n" }
            s += "  </record>\n"
        }
        return s + "</submission>\n"
    }

    static func escape(_ s: String) -> String {
        s.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }
}

extension Examples {
    public enum Form: Sendable { case csv, xml }

    /// An empty file of the dataset: the CSV header (UTF-8 with a BOM, so
    /// Excel reads it as UTF-8, or GB18030), or an XML root with no record.
    public static func template(_ p: DatasetPlan, form: Form, gb18030: Bool, county: String, period: String) -> [UInt8] {
        switch form {
        case .csv:
            let header = p.fields.map(\.name).joined(separator: ",") + "\r\n"
            return gb18030 ? Array(header.utf8) : [0xEF, 0xBB, 0xBF] + Array(header.utf8)
        case .xml:
            let text = xml(p, county: county, period: period, rows: [], encoding: gb18030 ? "GB18030" : "UTF-8")
            // The text is ASCII: the same bytes in either encoding.
            return Array(text.utf8)
        }
    }
}
