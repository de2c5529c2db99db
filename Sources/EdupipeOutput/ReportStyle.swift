/// The report's style sheet, inline in every page. Status colours are
/// printed as well (print-color-adjust), and the sizes are chosen so a
/// province table fits across portrait A4.
enum ReportStyle {
    static let css: StaticString = """
        :root { --met: #1e7b34; --met-bg: #e3f3e6; --not: #b3261e; --not-bg: #fbe3e1; --none: #6b6b6b; --none-bg: #eeeeee; --plain: #3d5a80; }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif;
               font-size: 14px; line-height: 1.45; color: #1f1f1f; margin: 0 auto; padding: 20px 28px; max-width: 1100px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #3d5a80; break-after: avoid; }
        h3 { font-size: 15px; margin: 18px 0 6px; break-after: avoid; }
        .en { color: #555; font-weight: normal; font-size: 0.85em; }
        th .en { display: block; font-size: 0.8em; }
        .meta { margin: 0 0 6px; color: #444; }
        .legend .key { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 3px; font-size: 12px; }
        table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; }
        th, td { border: 1px solid #d0d0d0; padding: 3px 6px; vertical-align: top; }
        thead th { background: #dde4ee; text-align: left; font-size: 12px; }
        td.num, th.num { text-align: right; white-space: nowrap; }
        thead th.num { white-space: normal; }
        th .target { display: block; font-weight: normal; color: var(--not); font-size: 0.8em; }
        .headline td:first-child { width: 38%; }
        tr.group th { background: #f4f6f9; text-align: left; }
        .matrix { font-size: 12px; table-layout: fixed; }
        .matrix th:first-child { width: 112px; text-align: left; white-space: nowrap; }
        .matrix tbody th { font-weight: normal; }
        .matrix tr.nation th, .matrix tr.nation td { font-weight: bold; border-bottom: 2px solid #999; }
        .s-met { background: var(--met-bg); color: var(--met); }
        .s-not_met { background: var(--not-bg); color: var(--not); font-weight: bold; }
        .s-no_data { background: var(--none-bg); color: var(--none); }
        .s-no_target { color: #1f1f1f; }
        .legend .s-no_target { border: 1px solid #d0d0d0; }
        figure { margin: 12px 0 20px; break-inside: avoid; }
        figcaption { font-weight: bold; margin-bottom: 4px; }
        svg.chart { width: 100%; max-width: 760px; height: auto; display: block; font-size: 11px; }
        svg .label, svg .value { fill: #1f1f1f; }
        svg .axis { fill: #6b6b6b; font-size: 10px; }
        svg .value.inside { fill: #ffffff; font-weight: bold; }
        svg .grid { stroke: #e2e2e2; stroke-width: 1; }
        svg .bar.s-met { fill: #4caf63; }
        svg .bar.s-not_met { fill: #d9534f; }
        svg .bar.s-no_target { fill: #6f8fb8; }
        svg .target { stroke: #b3261e; stroke-width: 1.5; stroke-dasharray: 4 3; }
        svg .target-label { fill: #b3261e; font-size: 10px; }
        dl.missing { margin: 0; display: grid; grid-template-columns: max-content 1fr; column-gap: 12px; row-gap: 2px; font-size: 13px; }
        dl.missing dt { font-weight: bold; white-space: nowrap; }
        dl.missing dd { margin: 0; }
        .count { color: #555; font-weight: normal; font-size: 0.9em; }
        .code { color: #666; font-size: 0.85em; margin-left: 2px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
        td.code { margin: 0; }
        .files { font-size: 12px; }
        .files td.file { word-break: break-all; width: 28%; }
        .none { color: var(--met); }
        .nodata-note { color: var(--none); font-size: 12px; margin: 2px 0 0; }
        .trend { font-size: 0.85em; white-space: nowrap; }
        .trend.tup { color: #2e7d32; }
        .trend.tdown { color: #b3261e; }
        .trend.tflat { color: #777; }
        td.prev, td.change { color: #444; white-space: nowrap; }
        figure.trend { display: inline-block; margin: 6px 16px 14px 0; vertical-align: top; }
        svg.trend { max-width: 480px; }
        svg .line { fill: none; stroke: #3b6ea8; stroke-width: 2; }
        svg .dot { fill: #3b6ea8; }
        .quality-summary { font-size: 12px; margin-bottom: 10px; }
        .note { color: #555; font-size: 12px; }
        footer { margin-top: 28px; color: #777; font-size: 11px; border-top: 1px solid #ddd; padding-top: 6px; }
        @page { size: A4; margin: 12mm 10mm; }
        @media print {
          body { font-size: 10pt; padding: 0; max-width: none; }
          h1 { font-size: 17pt; }
          h2 { font-size: 13pt; }
          .matrix, .files, .headline { font-size: 8pt; }
          .matrix th:first-child { width: 22mm; }
          thead th { font-size: 8pt; }
          dl.missing { font-size: 9pt; }
          #provinces, #charts, #quality, #not-reported { break-before: page; }
        }

        """
}
