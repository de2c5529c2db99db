/// Reads a small file (configuration, registry) whole, refusing one larger
/// than `limit` bytes. Submissions are never read this way.
public func readWholeFile(_ path: String, limit: Int) throws(InputError) -> [UInt8] {
    try readFile(path, upTo: limit, refusingMore: true)
}

/// The first `count` bytes of a file, or all of it when it is shorter.
public func readFileHead(_ path: String, count: Int) throws(InputError) -> [UInt8] {
    try readFile(path, upTo: count, refusingMore: false)
}

private func readFile(_ path: String, upTo limit: Int, refusingMore: Bool) throws(InputError) -> [UInt8] {
    let source = try FileSource(path: path)
    var bytes: [UInt8] = []
    while true {
        let chunk = try source.read(upTo: 1 << 16)
        if chunk.isEmpty { return bytes }
        bytes += chunk
        if bytes.count > limit {
            if refusingMore { throw .tooLarge(limit: limit) }
            return Array(bytes.prefix(limit))
        }
    }
}
