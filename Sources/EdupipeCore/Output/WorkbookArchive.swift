#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ZIPFoundation

/// The ZIP container of a workbook, written through ZIPFoundation.
///
/// A part is streamed into an unlinked scratch file first, so memory stays
/// flat however many counties a sheet lists, and then deflated into the
/// archive in chunks. Every entry carries the same fixed date, so the same
/// tables give the same bytes.
final class WorkbookArchive {
    struct ArchiveError: Error, CustomStringConvertible {
        let description: String
    }

    /// 2001-01-01 12:00 UTC: a fixed entry date, in the ZIP date range.
    private static let entryDate = Date(timeIntervalSinceReferenceDate: 43_200)
    private let archive: Archive
    private let scratch: Int32
    private let scratchPath: String
    private let path: String

    /// Creates an empty archive at `path` (which must not exist).
    init(path: String) throws {
        self.path = path
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        } catch {
            throw ArchiveError(description: "cannot create \(path): \(error)")
        }
        scratchPath = path + ".part"
        scratch = open(scratchPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard scratch >= 0 else {
            throw ArchiveError(description: "cannot write \(scratchPath): \(String(cString: strerror(errno)))")
        }
        // Nothing to clean up later, even if the run is killed.
        unlink(scratchPath)
    }

    deinit { close(scratch) }

    /// Adds a part whose text `body` writes, flushing as it goes.
    func add(_ name: String, _ body: (inout TextBuffer, ContractFiles.Flush) throws -> Void) throws {
        guard ftruncate(scratch, 0) == 0 else { throw failure("cannot reset the scratch file") }
        let fd = scratch, scratchPath = scratchPath
        var written = 0
        var buffer = TextBuffer(capacity: 1 << 16)
        let flush: ContractFiles.Flush = { b in
            try AtomicFile.writeAll(fd, UnsafeRawBufferPointer(b.bytes), at: written, path: scratchPath)
            written += b.count
            b.clear()
        }
        try body(&buffer, flush)
        try flush(&buffer)
        let size = written
        do {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(size),
                                 modificationDate: Self.entryDate, permissions: 0o644,
                                 compressionMethod: .deflate, bufferSize: 1 << 16) { position, chunk in
                var data = Data(count: chunk)
                let n = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, chunk, off_t(position)) }
                guard n == chunk else { throw ArchiveError(description: "cannot read back a workbook part") }
                return data
            }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError(description: "cannot add \(name) to \(path): \(error)")
        }
    }

    private func failure(_ what: String) -> ArchiveError {
        ArchiveError(description: "\(what) for \(path): \(String(cString: strerror(errno)))")
    }
}
