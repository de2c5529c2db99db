import EdupipeStandard

/// A horizontal bar chart of one indicator by province, as inline SVG: a
/// bar per province coloured by its status, the target as a dashed line,
/// worst first so the provinces that need attention lead.
struct BarChart {
    /// A province with a value (those without get no bar).
    struct Bar {
        let label: String
        let cell: PeriodTables.Cell
        let value: Double
    }

    let bars: [Bar]
    let format: IndicatorFormat
    let target: Target?
    let title: String

    private static let labelWidth = 96.0
    private static let plotWidth = 440.0
    private static let rowHeight = 15.0
    private static let top = 22.0

    /// Worst first: lowest first against an "at least" target, highest
    /// first otherwise; ties in code order (stable).
    static func ordered(_ bars: [Bar], target: Target?) -> [Bar] {
        let ascending = target?.comparison == .atLeast
        return bars.enumerated().sorted { a, b in
            let x = a.element.value, y = b.element.value
            return x == y ? a.offset < b.offset : (ascending ? x < y : x > y)
        }.map(\.element)
    }

    func write(_ b: inout TextBuffer) {
        let values = bars.map(\.value)
        // Shares run to 100%; counts and averages to a round maximum.
        let maximum: Double
        switch format {
        case .percent: maximum = 1
        case .decimal, .count: maximum = Self.roundUp(max(values.max() ?? 0, targetValue ?? 0, 4))
        }
        let height = Self.top + Double(bars.count) * Self.rowHeight + 22
        let width = Self.labelWidth + Self.plotWidth + 70
        b.append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">")
        b.append("<title>" as StaticString); b.markup(title); b.append("</title>" as StaticString)
        // Grid lines at quarters of the scale, labelled below the bars.
        let bottom = Self.top + Double(bars.count) * Self.rowHeight
        for q in 0...4 {
            let x = Self.labelWidth + Self.plotWidth * Double(q) / 4
            b.append("<line class=\"grid\" x1=\"\(f(x))\" y1=\"\(f(Self.top - 4))\" x2=\"\(f(x))\" y2=\"\(f(bottom))\"/>")
            b.append("<text class=\"axis\" x=\"\(f(x))\" y=\"\(f(bottom + 14))\" text-anchor=\"middle\">")
            b.markup(axisLabel(maximum * Double(q) / 4))
            b.append("</text>" as StaticString)
        }
        for (i, bar) in bars.enumerated() {
            let y = Self.top + Double(i) * Self.rowHeight
            b.append("<text class=\"label\" x=\"\(f(Self.labelWidth - 6))\" y=\"\(f(y + 11))\" text-anchor=\"end\">")
            b.markup(bar.label)
            b.append("</text>" as StaticString)
            let cell = bar.cell, value = bar.value
            let w = max(0, min(1, value / maximum)) * Self.plotWidth
            b.append("<rect class=\"bar s-\(cell.status.rawValue)\" x=\"\(f(Self.labelWidth))\" y=\"\(f(y + 2))\" width=\"\(f(w))\" height=\"\(f(Self.rowHeight - 4))\"/>")
            // A long bar carries its value inside, clear of the target line.
            if w > Self.plotWidth - 64 {
                b.append("<text class=\"value inside\" x=\"\(f(Self.labelWidth + w - 4))\" y=\"\(f(y + 11))\" text-anchor=\"end\">")
            } else {
                b.append("<text class=\"value\" x=\"\(f(Self.labelWidth + w + 4))\" y=\"\(f(y + 11))\">")
            }
            b.markup(format.text(cell) ?? "")
            if cell.status == .notMet { b.append(" ✗" as StaticString) }
            b.append("</text>" as StaticString)
        }
        if let target, let t = targetValue {
            let x = Self.labelWidth + max(0, min(1, t / maximum)) * Self.plotWidth
            b.append("<line class=\"target\" x1=\"\(f(x))\" y1=\"\(f(Self.top - 6))\" x2=\"\(f(x))\" y2=\"\(f(bottom))\"/>")
            b.append("<text class=\"target-label\" x=\"\(f(x))\" y=\"\(f(Self.top - 9))\" text-anchor=\"\(t / maximum > 0.8 ? "end" : "start")\">")
            b.markup("目标 target " + format.text(target))
            b.append("</text>" as StaticString)
        }
        b.append("</svg>" as StaticString)
    }

    private var targetValue: Double? {
        target.map { Double($0.numerator) / Double($0.scale) }
    }

    private func axisLabel(_ v: Double) -> String {
        switch format {
        case .percent: return "\(Int((v * 100).rounded()))%"
        case .decimal, .count: return f(v)
        }
    }

    /// 1, 2, 4 or 8 times a power of ten, at least `v`: its quarters,
    /// where the grid lines go, are round numbers too.
    static func roundUp(_ v: Double) -> Double {
        var step = 1.0
        while step * 10 < v { step *= 10 }
        for m in [1.0, 2, 4, 8, 10] where m * step >= v { return m * step }
        return 10 * step
    }

    /// Coordinates with one decimal: short, and the same on every machine.
    private func f(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }
}
