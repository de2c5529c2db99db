#if canImport(Glibc)
import Glibc
#endif
import SystemZlib

/// The ZIP container of a workbook (PKWARE APPNOTE 4.3), written straight to
/// a file with zlib.
///
/// A part's text is deflated as its writer produces it, in 64 KiB pieces, so
/// memory stays flat however many counties a sheet lists; its local header
/// is written last, in place, once the CRC-32 and sizes are known (no data
/// descriptors, which some readers handle badly). zlib's level 1 deflates
/// the national sheets three times faster than its default level 6, for an
/// archive about a quarter larger. Every entry carries the same fixed date,
/// so the same tables give the same bytes.
final class WorkbookArchive {
    struct ArchiveError: Error, CustomStringConvertible {
        let description: String
    }

    /// An entry as the central directory lists it.
    private struct Entry {
        let name: String
        let offset: Int
        let crc: UInt32
        let compressed: Int
        let size: Int
    }

    /// 2001-01-01 12:00 in MS-DOS time and date.
    private static let dosTime: UInt16 = 12 << 11
    private static let dosDate: UInt16 = (2001 - 1980) << 9 | 1 << 5 | 1
    private static let level: Int32 = 1

    private let path: String
    private let fd: Int32
    private let stream: UnsafeMutablePointer<z_stream>
    private var out: UnsafeMutableBufferPointer<UInt8>
    private var position = 0
    private var entries: [Entry] = []
    /// Whether `deflateInit2_` succeeded, so `deinit` ends only a started
    /// stream. Whatever happens in `init`, `deinit` alone frees.
    private let started: Bool

    /// Creates an empty archive at `path`, replacing what is there.
    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ArchiveError(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        // zlib keeps pointers into the z_stream, so it must never move.
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        out = .allocate(capacity: 1 << 16)
        // Negative window bits: raw deflate, as ZIP stores it.
        let rc = deflateInit2_(stream, Self.level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                               zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        started = rc == Z_OK
        // Every property is set: throwing now runs `deinit`, which frees.
        guard started else {
            throw ArchiveError(description: "zlib could not start deflating (code \(rc))")
        }
    }

    deinit {
        if started { deflateEnd(stream) }
        stream.deallocate()
        out.deallocate()
        close(fd)
    }

    /// Adds a part whose text `body` writes, flushing as it goes.
    func add(_ name: String, _ body: (inout TextBuffer, ContractFiles.Flush) throws -> Void) throws {
        let offset = position
        let header = localHeader(name: name, crc: 0, compressed: 0, size: 0)
        try write(header)
        guard deflateReset(stream) == Z_OK else { throw ArchiveError(description: "zlib could not restart deflating") }
        var crc = crc32(0, nil, 0)
        var size = 0
        let start = position
        var buffer = TextBuffer(capacity: 1 << 16)
        let flush: ContractFiles.Flush = { b in
            let text = b.bytes
            crc = crc32_z(crc, text.baseAddress, text.count)
            size += text.count
            try self.deflate(text, finish: false)
            b.clear()
        }
        try body(&buffer, flush)
        try flush(&buffer)
        try deflate(UnsafeBufferPointer(start: nil, count: 0), finish: true)
        let entry = Entry(name: name, offset: offset, crc: UInt32(crc), compressed: position - start, size: size)
        guard entry.compressed <= Int(UInt32.max), entry.size <= Int(UInt32.max), position <= Int(UInt32.max) else {
            throw ArchiveError(description: "\(name) is too large for a ZIP archive without ZIP64")
        }
        try rewrite(localHeader(name: name, crc: entry.crc, compressed: entry.compressed, size: entry.size), at: offset)
        entries.append(entry)
    }

    /// Writes the central directory; the archive is complete after this.
    func finish() throws {
        let directoryStart = position
        var directory = TextBuffer(capacity: entries.count * 96)
        for e in entries {
            directory.littleEndian(UInt32(0x0201_4B50))
            directory.littleEndian(UInt16(0x031E))  // made by: Unix, APPNOTE 3.0
            directory.littleEndian(UInt16(20))  // needed to extract: 2.0 (deflate)
            directory.littleEndian(UInt16(0))  // flags
            directory.littleEndian(UInt16(8))  // deflate
            directory.littleEndian(Self.dosTime)
            directory.littleEndian(Self.dosDate)
            directory.littleEndian(e.crc)
            directory.littleEndian(UInt32(e.compressed))
            directory.littleEndian(UInt32(e.size))
            directory.littleEndian(UInt16(e.name.utf8.count))
            directory.littleEndian(UInt16(0))  // extra field
            directory.littleEndian(UInt16(0))  // comment
            directory.littleEndian(UInt16(0))  // disk
            directory.littleEndian(UInt16(0))  // internal attributes
            directory.littleEndian(UInt32(0o100644) << 16)  // a regular file, rw-r--r--
            directory.littleEndian(UInt32(e.offset))
            directory.append(e.name)
        }
        let directorySize = directory.count
        directory.littleEndian(UInt32(0x0605_4B50))
        directory.littleEndian(UInt16(0))
        directory.littleEndian(UInt16(0))
        directory.littleEndian(UInt16(entries.count))
        directory.littleEndian(UInt16(entries.count))
        directory.littleEndian(UInt32(directorySize))
        directory.littleEndian(UInt32(directoryStart))
        directory.littleEndian(UInt16(0))  // comment
        try write(directory)
    }

    private func localHeader(name: String, crc: UInt32, compressed: Int, size: Int) -> TextBuffer {
        var h = TextBuffer(capacity: 30 + name.utf8.count)
        h.littleEndian(UInt32(0x0403_4B50))
        h.littleEndian(UInt16(20))
        h.littleEndian(UInt16(0))
        h.littleEndian(UInt16(8))
        h.littleEndian(Self.dosTime)
        h.littleEndian(Self.dosDate)
        h.littleEndian(crc)
        h.littleEndian(UInt32(truncatingIfNeeded: compressed))
        h.littleEndian(UInt32(truncatingIfNeeded: size))
        h.littleEndian(UInt16(name.utf8.count))
        h.littleEndian(UInt16(0))
        h.append(name)
        return h
    }

    /// Deflates `text` (or ends the entry's stream) into the file.
    private func deflate(_ text: UnsafeBufferPointer<UInt8>, finish: Bool) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: text.baseAddress)
        stream.pointee.avail_in = uInt(text.count)
        while true {
            stream.pointee.next_out = out.baseAddress
            stream.pointee.avail_out = uInt(out.count)
            let rc = SystemZlib.deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH)
            guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
                throw ArchiveError(description: "zlib failed deflating \(path) (code \(rc))")
            }
            let produced = out.count - Int(stream.pointee.avail_out)
            try write(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(out)[..<produced]))
            // Done when the input is used up and zlib had room to spare, or
            // when the stream has ended.
            if finish ? rc == Z_STREAM_END : (stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0) { return }
        }
    }

    private func write(_ b: borrowing TextBuffer) throws {
        try write(UnsafeRawBufferPointer(b.bytes))
    }

    private func write(_ raw: UnsafeRawBufferPointer) throws {
        try AtomicFile.writeAll(fd, raw, at: position, path: path)
        position += raw.count
    }

    private func rewrite(_ b: borrowing TextBuffer, at offset: Int) throws {
        try AtomicFile.writeAll(fd, UnsafeRawBufferPointer(b.bytes), at: offset, path: path)
    }
}

extension TextBuffer {
    /// A binary field of a ZIP header.
    fileprivate mutating func littleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { append($0.assumingMemoryBound(to: UInt8.self)) }
    }
}
