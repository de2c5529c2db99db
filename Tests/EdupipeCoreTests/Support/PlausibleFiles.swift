@testable import EdupipeSynth


/// Random but plausible submission files for the differential tests: every
/// dialect and value variation the standard names (BOM, CRLF or LF, quoted
/// fields holding commas, quotes and line breaks, white space of every
/// kind, blank lines, Chinese text, full-width digits, entity and character
/// references, CDATA, comments, namespace prefixes, attributes and
/// elements), and a share of broken ones. The same seed, the same files.
enum PlausibleFiles {
    /// The synthetic generator's SplitMix64 (`SynthRandom`), with the
    /// small helpers these files need: the same seed, the same files.
    struct Random {
        private var rng: SynthRandom
        init(seed: UInt64) { rng = SynthRandom(seed: seed, stream: 0x5EC6) }
        mutating func int(_ n: Int) -> Int { rng.int(0...(max(1, n) - 1)) }
        mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
        mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
    }

    static let spaces = [" ", "\t", "\u{3000}", "\u{00A0}", "\u{2003}", "\u{202F}", "\u{2028}", "\u{000B}", "\u{0085}"]
    static let texts = ["1-01", "初一(2)班", "a,b", "say \"hi\"", "two\nlines", "４５", "x&y", "<b>", "", "0045", "是", "王喆"]

    static func value(_ rng: inout Random) -> String {
        var v: String
        switch rng.int(4) {
        case 0: v = String(rng.int(200))
        case 1: v = "1" + String(100_000_000 + rng.int(899_999_999))
        case 2: v = rng.pick(["primary", "junior", "senior", "Y", "N", "true", "否", "2023/3/1"])
        default: v = rng.pick(texts)
        }
        if rng.chance(20) { v = rng.pick(spaces) + v }
        if rng.chance(20) { v += rng.pick(spaces) }
        return v
    }

    static func csvField(_ v: String, _ rng: inout Random) -> String {
        let needs = v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
        if needs || rng.chance(20) { return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return v
    }

    static func csv(_ rng: inout Random, fields: [String]) -> [UInt8] {
        let eol = rng.chance(50) ? "\r\n" : "\n"
        var header = fields
        for i in header.indices.reversed() { header.swapAt(i, rng.int(i + 1)) }
        if rng.chance(20) { header.append("note") }
        var lines: [String] = []
        if rng.chance(10) { lines.append(rng.pick(["", "   ", "\u{3000}", "\u{00A0}\t"])) }
        lines.append(header.map { csvField($0, &rng) }.joined(separator: ","))
        for _ in 0..<rng.int(7) {
            if rng.chance(10) { lines.append(rng.pick(["", " ", "\u{3000}\u{3000}", "\t\u{2003}"])) }
            var row = header.map { _ in csvField(value(&rng), &rng) }
            if rng.chance(5) { row.removeLast() }
            lines.append(row.joined(separator: ","))
        }
        var text = lines.joined(separator: eol)
        if rng.chance(70) { text += eol }
        // A share of broken files, one fault each.
        switch rng.int(20) {
        case 0: text += "110101,\"open"
        case 1: text += "\"x\" ,y" + eol
        case 2: text += "a\rb" + eol
        case 3: text += "\"x\"y,1" + eol
        default: break
        }
        var bytes = Array(text.utf8)
        if rng.chance(10) { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        return bytes
    }

    static func xmlText(_ v: String, _ rng: inout Random, attribute: Bool) -> String {
        var out = ""
        for ch in v {
            switch ch {
            // XML 1.0 allows no VT at all: the CSV files have it.
            case "\u{000B}": out += " "
            case "&": out += rng.pick(["&amp;", "&#38;", "&#x26;"])
            case "<": out += rng.pick(["&lt;", "&#60;"])
            case "\"": out += attribute ? "&quot;" : rng.pick(["\"", "&quot;"])
            case ">": out += rng.pick([">", "&gt;"])
            case "\n": out += attribute ? "&#10;" : "\n"
            default: out.append(ch)
            }
        }
        if !attribute && rng.chance(10) && !v.contains("]]>") { return "<![CDATA[" + v + "]]>" }
        if !attribute && rng.chance(5) { return out + "<!-- note -->" }
        return out
    }

    static func xml(_ rng: inout Random, fields: [String]) -> [UInt8] {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let ns = rng.chance(20)
        s += "<submission dataset=\"class_size\" county=\"\(xmlText(rng.pick(["110101", " 110101 ", "a&b"]), &rng, attribute: true))\" period=\"2022-autumn\""
        s += ns ? " xmlns:p=\"urn:p\">\n" : ">\n"
        for _ in 0..<rng.int(6) {
            var attrs = ""
            var elements = ""
            for f in fields where !rng.chance(10) {
                let v = value(&rng)
                let prefix = ns && rng.chance(30) ? "p:" : ""
                if rng.chance(50) {
                    attrs += " \(prefix)\(f)=\"\(xmlText(v, &rng, attribute: true))\""
                } else if rng.chance(5) {
                    elements += "<\(prefix)\(f)>4<b/>5</\(prefix)\(f)>"
                } else {
                    elements += "<\(prefix)\(f)>\(xmlText(v, &rng, attribute: false))</\(prefix)\(f)>"
                }
                if rng.chance(3) { elements += "<\(f)>9</\(f)>" }
            }
            if rng.chance(5) { elements += "<note>x</note>" }
            s += elements.isEmpty && rng.chance(50) ? "  <record\(attrs)/>\n" : "  <record\(attrs)>\(elements)</record>\n"
        }
        switch rng.int(20) {
        case 0: s += "<record><grade>1</record>\n"
        case 1: s += "<record grade=\"&nope;\"/>\n"
        case 2: s += "<record students=\"1\" students=\"2\"/>\n"
        default: break
        }
        s += "</submission>\n"
        return Array(s.utf8)
    }
}
