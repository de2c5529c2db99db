/// The encoding an XML submission's declaration names, read from the first
/// bytes before libxml2 sees any, so that edupipe decodes the encodings of
/// the standard itself (section 1.3) and can say on which line a byte does
/// not decode.
enum XMLDeclaredEncoding {
    /// How many bytes may come before the end of the declaration.
    static let headLimit = 1024

    /// The source libxml2 should read: the document decoded to UTF-8 from
    /// the encoding its declaration names (UTF-8 when it names none), with
    /// a UTF-8 byte-order mark in front so that libxml2 detects nothing
    /// else. libxml2 never converts: its converters for other encodings
    /// have crashed on hostile documents (UTF-7, found by FuzzXML), and the
    /// standard names only these. Another declared encoding is
    /// `E_ENCODING` on line 1.
    ///
    /// `countingLines: false` is for a reader that will not say where a
    /// byte does not decode (its errors' lines are then wrong).
    static func decodingSource(_ content: ByteSource, countingLines: Bool = true) throws(InputError) -> ByteSource {
        var head: [UInt8] = []
        while head.count < headLimit {
            let more = try content.read(upTo: headLimit - head.count)
            if more.isEmpty { break }
            head += more
            if declarationEnd(head, head.count) != nil { break }
        }
        let name = declaredName(head)
        guard let encoding = name.map(TextSource.Encoding.declared) ?? .utf8 else {
            throw .encoding(line: 1, "the XML declaration names the encoding \(ShownText.prepare(name ?? "")), which the standard does not accept: save the file as UTF-8 (or GB18030, GBK, GB2312) and declare that encoding")
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let hasBOM = head.count >= 3 && Array(head[0..<3]) == bom
        // A UTF-8 byte-order mark says UTF-8: before another declared
        // encoding the file contradicts itself (section 6).
        if hasBOM && encoding != .utf8 {
            throw .encoding(line: 1, "the file starts with a UTF-8 byte-order mark but its XML declaration names \(ShownText.prepare(name ?? "")): save it again as UTF-8 and declare UTF-8, or without the mark")
        }
        let text = try TextSource(input: PrefixedSource(prefix: head, rest: content), encoding: encoding, declared: true,
                                  countsLines: countingLines)
        return hasBOM && encoding == .utf8 ? text : PrefixedSource(prefix: bom, rest: text)
    }

    /// The index after `?>` of a declaration at the start, if it is there.
    private static func declarationEnd(_ b: [UInt8], _ count: Int) -> Int? {
        var i = 0
        while i + 1 < count {
            if b[i] == UInt8(ascii: "?") && b[i + 1] == UInt8(ascii: ">") { return i + 2 }
            if b[i] == UInt8(ascii: ">") { return nil }
            i += 1
        }
        return nil
    }

    /// The value of `encoding="..."` in a declaration at the very start
    /// (after a UTF-8 byte-order mark); nil when there is none.
    static func declaredName(_ b: [UInt8]) -> String? {
        var i = 0
        if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { i = 3 }
        let open = Array("<?xml".utf8)
        guard b.count >= i + open.count, Array(b[i..<(i + open.count)]) == open,
              let end = declarationEnd(Array(b[i...]), b.count - i).map({ $0 + i }) else { return nil }
        let declaration = Array(b[i..<end])
        let key = Array("encoding".utf8)
        var k = 0
        while k + key.count <= declaration.count {
            if Array(declaration[k..<(k + key.count)]) == key {
                var p = k + key.count
                func skipSpace() { while p < declaration.count && [0x20, 0x09, 0x0A, 0x0D].contains(declaration[p]) { p += 1 } }
                skipSpace()
                guard p < declaration.count, declaration[p] == UInt8(ascii: "=") else { return nil }
                p += 1
                skipSpace()
                guard p < declaration.count, declaration[p] == UInt8(ascii: "\"") || declaration[p] == UInt8(ascii: "'") else { return nil }
                let quote = declaration[p]
                p += 1
                let start = p
                while p < declaration.count && declaration[p] != quote { p += 1 }
                guard p < declaration.count else { return nil }
                return String(decoding: declaration[start..<p], as: UTF8.self)
            }
            k += 1
        }
        return nil
    }
}
