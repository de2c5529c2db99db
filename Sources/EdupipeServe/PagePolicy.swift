import Crypto

/// The Content-Security-Policy of a page edupipe serves: no inline code
/// runs but the page's own `<script>` and `<style>` blocks, allowed by
/// their SHA-256 (CSP Level 2 hashes; no `'unsafe-inline'`), no frame may
/// hold the page (`frame-ancestors 'none'`), and nothing loads from
/// elsewhere. Worked out once per page body.
enum PagePolicy {
    static func contentSecurityPolicy(_ html: String) -> String {
        let scripts = hashes(of: "script", in: html)
        let styles = hashes(of: "style", in: html)
        var parts = ["default-src 'none'", "img-src 'self' data:", "connect-src 'self'", "form-action 'self'",
                     "base-uri 'none'", "frame-ancestors 'none'"]
        parts.append("script-src " + (scripts.isEmpty ? "'none'" : scripts.joined(separator: " ")))
        parts.append("style-src " + (styles.isEmpty ? "'none'" : styles.joined(separator: " ")))
        return parts.joined(separator: "; ")
    }

    /// `'sha256-…'` of the text of every `<tag>` … `</tag>` block.
    static func hashes(of tag: String, in html: String) -> [String] {
        let bytes = Array(html.utf8)
        let open = Array("<\(tag)".utf8), close = Array("</\(tag)>".utf8)
        var out: [String] = []
        var i = 0
        while let start = find(open, in: bytes, from: i) {
            // The tag's own `>`, then the block's text up to its end tag.
            guard let gt = bytes[(start + open.count)...].firstIndex(of: UInt8(ascii: ">")),
                  let end = find(close, in: bytes, from: gt + 1) else { break }
            let body = Array(bytes[(gt + 1)..<end])
            let digest = SHA256.hash(data: body)
            out.append("'sha256-\(base64(Array(digest)))'")
            i = end + close.count
        }
        return out
    }

    private static func find(_ needle: [UInt8], in hay: [UInt8], from: Int) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            let b0 = UInt32(bytes[i]), b1 = n > 1 ? UInt32(bytes[i + 1]) : 0, b2 = n > 2 ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(table[Int(v >> 18 & 63)])
            out.append(table[Int(v >> 12 & 63)])
            out.append(n > 1 ? table[Int(v >> 6 & 63)] : UInt8(ascii: "="))
            out.append(n > 2 ? table[Int(v & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
