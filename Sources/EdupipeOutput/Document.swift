import EdupipeStandard

/// A small document (headings, paragraphs, lists, tables, code) written
/// once and rendered as Markdown or as one self-contained HTML page: the
/// county format guide is both.
public struct Document: Sendable {
    public enum Block: Sendable {
        case heading(Int, String)
        case paragraph(String)
        case list([String])
        case table([String], [[String]])
        case code(String, String)
    }

    public var title: String
    public var language: Language
    public var blocks: [Block] = []

    public init(title: String, language: Language) {
        self.title = title
        self.language = language
    }

    public mutating func add(_ b: Block) { blocks.append(b) }

    /// GitHub-flavoured Markdown.
    public var markdown: String {
        var s = "# \(title)\n"
        for b in blocks {
            s += "\n"
            switch b {
            case .heading(let level, let text): s += String(repeating: "#", count: level) + " " + text + "\n"
            case .paragraph(let text): s += text + "\n"
            case .list(let items): s += items.map { "- " + $0 + "\n" }.joined()
            case .table(let header, let rows):
                func row(_ cells: [String]) -> String {
                    "| " + cells.map { $0.replacing("|", with: "\\|").replacing("\n", with: " ") }.joined(separator: " | ") + " |\n"
                }
                s += row(header) + "|" + String(repeating: "---|", count: header.count) + "\n" + rows.map(row).joined()
            case .code(let lang, let text): s += "```\(lang)\n" + text + (text.hasSuffix("\n") ? "" : "\n") + "```\n"
            }
        }
        return s
    }

    /// One HTML page with its style inline: no CDN, works offline, readable
    /// on a phone.
    public var html: String {
        var b = TextBuffer(capacity: 1 << 16)
        b.append("<!DOCTYPE html>\n<html lang=\"\(language == .zh ? "zh-CN" : "en")\">\n<head>\n<meta charset=\"utf-8\">\n")
        b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" as StaticString)
        b.markup(title)
        b.append("</title>\n<style>\nbody{font-family:system-ui,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.55;color:#222}\ntable{border-collapse:collapse;margin:.5rem 0;display:block;overflow-x:auto}\nth,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top;text-align:left}\nth{background:#f2f2f2}\ncode,pre{font-family:ui-monospace,Consolas,monospace;background:#f6f6f6}\npre{padding:.5rem;overflow-x:auto}\nh2{border-bottom:1px solid #ddd;margin-top:2rem}\n</style>\n</head>\n<body>\n<h1>" as StaticString)
        b.markup(title)
        b.append("</h1>\n" as StaticString)
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                b.append("<h\(level)>"); Self.inline(text, &b); b.append("</h\(level)>\n")
            case .paragraph(let text):
                b.append("<p>" as StaticString); Self.inline(text, &b); b.append("</p>\n" as StaticString)
            case .list(let items):
                b.append("<ul>\n" as StaticString)
                for i in items { b.append("<li>" as StaticString); Self.inline(i, &b); b.append("</li>\n" as StaticString) }
                b.append("</ul>\n" as StaticString)
            case .table(let header, let rows):
                b.append("<table>\n<thead><tr>" as StaticString)
                for h in header { b.append("<th>" as StaticString); Self.inline(h, &b); b.append("</th>" as StaticString) }
                b.append("</tr></thead>\n<tbody>\n" as StaticString)
                for r in rows {
                    b.append("<tr>" as StaticString)
                    for c in r { b.append("<td>" as StaticString); Self.inline(c, &b); b.append("</td>" as StaticString) }
                    b.append("</tr>\n" as StaticString)
                }
                b.append("</tbody>\n</table>\n" as StaticString)
            case .code(_, let text):
                b.append("<pre><code>" as StaticString); b.markup(text); b.append("</code></pre>\n" as StaticString)
            }
        }
        b.append("</body>\n</html>\n" as StaticString)
        return String(decoding: b.bytes, as: UTF8.self)
    }

    /// Markdown's `code` spans as <code>, the rest as text.
    private static func inline(_ text: String, _ b: inout TextBuffer) {
        var inCode = false
        for part in text.split(separator: "`", omittingEmptySubsequences: false) {
            if inCode { b.append("<code>" as StaticString); b.markup(String(part)); b.append("</code>" as StaticString) } else { b.markup(String(part)) }
            inCode.toggle()
        }
    }
}
