#if canImport(Glibc)
import Glibc
#endif
import CISAL
import EdupipeSupport

/// The ZIP container of a workbook (PKWARE APPNOTE 4.3), written straight to
/// a file, deflated by ISA-L's igzip.
///
/// A part's text is deflated as its writer produces it, in 64 KiB pieces, so
/// memory stays flat however many counties a sheet lists; its local header
/// is written last, in place, once the CRC-32 and sizes are known (no data
/// descriptors, which some readers handle badly). igzip's level 1 deflates
/// the national sheets in about a quarter of the instructions of zlib's
/// level 1 (itself three times faster than zlib's default), for an archive
/// of about the same size. Every entry carries the same fixed date, so the
/// same tables give the same bytes.
final class WorkbookArchive {

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
    private static let level: UInt32 = 1

    private let path: String
    private let fd: Int32
    /// igzip's stream: it keeps pointers into itself, so it never moves.
    private let stream: UnsafeMutablePointer<isal_zstream>
    /// The working memory level 1 needs.
    private let levelBuffer: UnsafeMutableRawBufferPointer
    private var out: UnsafeMutableBufferPointer<UInt8>
    private var position = 0
    private var entries: [Entry] = []

    /// Creates an empty archive at `path`, replacing what is there.
    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw EdupipeError.system("cannot create \(path)")
        }
        stream = .allocate(capacity: 1)
        levelBuffer = .allocate(byteCount: Int(edupipe_isal_level1_buffer), alignment: 16)
        out = .allocate(capacity: 1 << 16)
    }

    deinit {
        stream.deallocate()
        levelBuffer.deallocate()
        out.deallocate()
        close(fd)
    }

    /// A fresh raw deflate stream (ZIP stores raw deflate: no wrapper).
    private func startStream() {
        isal_deflate_init(stream)
        stream.pointee.level = Self.level
        stream.pointee.level_buf = levelBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.level_buf_size = UInt32(levelBuffer.count)
        stream.pointee.gzip_flag = UInt16(IGZIP_DEFLATE)
        stream.pointee.flush = UInt16(NO_FLUSH)
    }

    /// Adds a part whose text `body` writes, flushing as it goes.
    func add(_ name: String, _ body: (inout TextBuffer, ContractFiles.Flush) throws -> Void) throws {
        let offset = position
        let header = localHeader(name: name, crc: 0, compressed: 0, size: 0)
        try write(header)
        startStream()
        var crc: UInt32 = 0
        var size = 0
        let start = position
        var buffer = TextBuffer(capacity: 1 << 16)
        let flush: ContractFiles.Flush = { b in
            let text = b.bytes
            if let base = text.baseAddress { crc = crc32_gzip_refl(crc, base, UInt64(text.count)) }
            size += text.count
            try self.deflate(text, finish: false)
            b.clear()
        }
        try body(&buffer, flush)
        try flush(&buffer)
        try deflate(UnsafeBufferPointer(start: nil, count: 0), finish: true)
        let entry = Entry(name: name, offset: offset, crc: UInt32(crc), compressed: position - start, size: size)
        guard entry.compressed <= Int(UInt32.max), entry.size <= Int(UInt32.max), position <= Int(UInt32.max) else {
            throw EdupipeError(.io, "\(name) is too large for a ZIP archive without ZIP64")
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
        stream.pointee.avail_in = UInt32(text.count)
        stream.pointee.end_of_stream = finish ? 1 : 0
        while true {
            stream.pointee.next_out = out.baseAddress
            stream.pointee.avail_out = UInt32(out.count)
            let rc = isal_deflate(stream)
            guard rc == COMP_OK else {
                throw EdupipeError(.io, "igzip failed deflating \(path) (code \(rc))")
            }
            let produced = out.count - Int(stream.pointee.avail_out)
            try write(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(out)[..<produced]))
            // Done when the input is used up and igzip had room to spare, or
            // when the stream has ended.
            if finish ? stream.pointee.internal_state.state == ZSTATE_END
                      : (stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0) { return }
        }
    }

    private func write(_ b: borrowing TextBuffer) throws {
        try write(UnsafeRawBufferPointer(b.bytes))
    }

    private func write(_ raw: UnsafeRawBufferPointer) throws {
        try SystemIO.writeAll(fd, raw, at: position, path: path)
        position += raw.count
    }

    private func rewrite(_ b: borrowing TextBuffer, at offset: Int) throws {
        try SystemIO.writeAll(fd, UnsafeRawBufferPointer(b.bytes), at: offset, path: path)
    }
}

extension TextBuffer {
    /// A binary field of a ZIP header.
    fileprivate mutating func littleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { append($0.assumingMemoryBound(to: UInt8.self)) }
    }
}
