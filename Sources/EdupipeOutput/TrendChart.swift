/// A small SVG line chart of one indicator over periods: a point per period
/// with its value written above it, a gap where a period has no data.
/// Inline in the report (no script, no external file).
struct TrendChart {
    struct Point {
        let label: String
        let value: Double?
        let text: String?
    }

    let points: [Point]
    let title: String

    func write(_ b: inout TextBuffer) {
        let width = 120 * max(2, points.count), height = 120
        let values = points.compactMap(\.value)
        let top = max(values.max() ?? 1, 0), bottom = min(values.min() ?? 0, 0)
        let span = top - bottom > 0 ? top - bottom : 1
        func x(_ i: Int) -> Int { 60 + i * 120 }
        func y(_ v: Double) -> Int { 90 - Int((v - bottom) / span * 60) }
        b.append("<svg class=\"chart trend\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"")
        b.markup(title)
        b.append("\">" as StaticString)
        b.append("<line class=\"grid\" x1=\"20\" y1=\"90\" x2=\"\(width - 20)\" y2=\"90\"/>")
        var path = ""
        for (i, p) in points.enumerated() {
            guard let v = p.value else { path += " "; continue }
            path += (path.isEmpty || path.hasSuffix(" ") ? "M" : "L") + "\(x(i)),\(y(v))"
        }
        for segment in path.split(separator: " ") where segment.contains("L") {
            b.append("<path class=\"line\" d=\"\(segment)\"/>")
        }
        for (i, p) in points.enumerated() {
            if let v = p.value {
                b.append("<circle class=\"dot\" cx=\"\(x(i))\" cy=\"\(y(v))\" r=\"3\"/>")
                b.append("<text class=\"value\" x=\"\(x(i))\" y=\"\(y(v) - 8)\" text-anchor=\"middle\">")
                b.markup(p.text ?? "")
                b.append("</text>" as StaticString)
            }
            b.append("<text class=\"axis\" x=\"\(x(i))\" y=\"108\" text-anchor=\"middle\">")
            b.markup(p.label)
            b.append("</text>" as StaticString)
        }
        b.append("</svg>\n" as StaticString)
    }
}
