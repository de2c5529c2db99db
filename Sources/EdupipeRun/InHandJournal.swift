#if canImport(Glibc)
import Glibc
#endif
import EdupipeInput
import EdupipeSupport

/// Which file each worker has in hand, so that a run that dies on a file
/// (a fault in edupipe's readers) does not die on it again every night:
/// the next run finds the files left in hand and checks them in a child
/// process first (`CrashIsolation`).
///
/// It lives beside the ledger in the state folder as `in-hand`: one slot per
/// worker, written in place (`pwrite`, three calls a file: the path and its
/// length when taken, a zero length when released), and what is written
/// stays in the page cache for the next run
/// to read however the process dies. (It was a shared memory map, which
/// saved those calls at the price of pointer code in a file read once a
/// night; docs/performance.md, "Layers".) A run that ends,
/// however it ends without dying, removes the file.
final class InHandJournal: @unchecked Sendable {
    static let fileName = "in-hand"
    /// A length word, then the path's bytes (PATH_MAX is 4096).
    static let slotSize = 8 + 4096

    private let path: String
    private let fd: Int32
    private let size: Int
    /// Per worker: whether its slot's length is known to be zero (it was
    /// released, or never taken), so that taking it need not zero it first.
    /// Each worker touches only its own.
    private let empty: [Flag]

    private final class Flag: @unchecked Sendable {
        var value = true
    }

    /// The paths a dead run had in hand, read before a new journal replaces
    /// the file; empty when the last run ended (no file) or the file is
    /// unreadable.
    static func leftOver(directory: String) -> [RawPath] {
        guard let bytes = try? readWholeFile(directory + "/" + fileName, limit: 1 << 24) else { return [] }
        var paths: [RawPath] = []
        var offset = 0
        while offset + slotSize <= bytes.count {
            var length = 0
            for k in 0..<8 { length |= Int(bytes[offset + k]) << (8 * k) }
            if length > 0 && length <= slotSize - 8 {
                paths.append(RawPath(bytes: Array(bytes[(offset + 8)..<(offset + 8 + length)])))
            }
            offset += slotSize
        }
        return paths
    }

    /// A journal of `workers` empty slots; nil when the state folder cannot
    /// hold it (read-only with `--no-ledger`): the run goes on unguarded.
    init?(directory: String, workers: Int) {
        path = directory + "/" + Self.fileName
        size = max(1, workers) * Self.slotSize
        empty = (0..<max(1, workers)).map { _ in Flag() }
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        guard ftruncate(fd, off_t(size)) == 0 else {
            close(fd)
            unlink(path)
            return nil
        }
    }

    deinit {
        close(fd)
    }

    /// A slot's length word: little-endian, as `leftOver` reads it.
    private static func word(_ n: Int) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } }

    /// Worker `worker` starts reading the file at `file`.
    func take(_ worker: Int, _ file: RawPath) {
        guard (worker + 1) * Self.slotSize <= size else { return }
        // The page cache keeps what is written even when the process dies
        // the next moment: the length goes last, so a slot is whole or empty.
        // A slot whose last release could not be written is zeroed first.
        let slot = worker * Self.slotSize
        let n = min(file.bytes.count, Self.slotSize - 8)
        if !empty[worker].value {
            try? SystemIO.writeAll(fd, Self.word(0), at: slot, path: path)
        }
        empty[worker].value = false
        try? SystemIO.writeAll(fd, file.bytes[..<n], at: slot + 8, path: path)
        try? SystemIO.writeAll(fd, Self.word(n), at: slot, path: path)
    }

    /// Worker `worker` is done with its file.
    func release(_ worker: Int) {
        guard (worker + 1) * Self.slotSize <= size else { return }
        empty[worker].value = (try? SystemIO.writeAll(fd, Self.word(0), at: worker * Self.slotSize, path: path)) != nil
    }

    /// The run ended without dying: nothing is in hand.
    func remove() {
        unlink(path)
    }
}
