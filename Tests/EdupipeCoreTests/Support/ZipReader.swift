import Foundation
import SystemZlib

/// Reads a ZIP archive the strict way, for the workbook tests: entries from
/// the central directory, each checked against its local header, inflated,
/// and its CRC-32 and sizes verified.
enum ZipReader {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The archive's entries by name, in directory order.
    static func entries(_ path: String) throws -> [(name: String, data: Data)] {
        let zip = try Data(contentsOf: URL(fileURLWithPath: path))
        func u16(_ at: Int) throws -> Int {
            guard at >= 0, at + 2 <= zip.count else { throw Failure(description: "truncated at \(at)") }
            return Int(zip[at]) | Int(zip[at + 1]) << 8
        }
        func u32(_ at: Int) throws -> Int { try u16(at) | u16(at + 2) << 16 }

        let end = zip.count - 22  // no archive comment
        guard try u32(end) == 0x0605_4B50 else { throw Failure(description: "no end of central directory record") }
        let count = try u16(end + 10)
        var at = try u32(end + 16)
        guard at + (try u32(end + 12)) == end else { throw Failure(description: "the central directory does not end where the end record starts") }
        var result: [(String, Data)] = []
        for _ in 0..<count {
            guard try u32(at) == 0x0201_4B50 else { throw Failure(description: "no central directory header at \(at)") }
            let method = try u16(at + 10), crc = try u32(at + 16)
            let compressed = try u32(at + 20), size = try u32(at + 24)
            let nameLength = try u16(at + 28), extra = try u16(at + 30), comment = try u16(at + 32)
            let offset = try u32(at + 42)
            let name = String(decoding: zip[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            at += 46 + nameLength + extra + comment

            guard try u32(offset) == 0x0403_4B50 else { throw Failure(description: "\(name): no local header") }
            guard try u16(offset + 8) == method, try u32(offset + 14) == crc, try u32(offset + 18) == compressed,
                  try u32(offset + 22) == size, try u16(offset + 26) == nameLength else {
                throw Failure(description: "\(name): the local header disagrees with the central directory")
            }
            let start = offset + 30 + nameLength + (try u16(offset + 28))
            guard method == 8 else { throw Failure(description: "\(name): method \(method), not deflate") }
            let data = try inflate(zip[start..<(start + compressed)], size: size, name: name)
            let check = data.withUnsafeBytes { Int(crc32_z(0, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), $0.count)) }
            guard check == crc else { throw Failure(description: "\(name): CRC-32 \(check), header says \(crc)") }
            result.append((name, data))
        }
        return result
    }

    private static func inflate(_ compressed: Data, size: Int, name: String) throws -> Data {
        var output = Data(count: size + 1)
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        defer { stream.deallocate() }
        stream.initialize(to: z_stream())
        guard inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib could not start")
        }
        defer { inflateEnd(stream) }
        let (rc, produced) = compressed.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = uInt(input.count)
                stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(out.count)
                let rc = SystemZlib.inflate(stream, Z_FINISH)
                return (rc, out.count - Int(stream.pointee.avail_out))
            }
        }
        guard rc == Z_STREAM_END, stream.pointee.avail_in == 0 else {
            throw Failure(description: "\(name): the deflate stream does not end with its data (zlib \(rc))")
        }
        guard produced == size else { throw Failure(description: "\(name): \(produced) bytes, header says \(size)") }
        return output.prefix(size)
    }
}
