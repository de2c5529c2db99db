#if canImport(Glibc)
import Glibc
import EdupipeInput
#endif

/// Which file each worker has in hand, so that a run that dies on a file
/// (a fault in edupipe's readers) does not die on it again every night:
/// the next run finds the files left in hand and checks them in a child
/// process first (`CrashIsolation`).
///
/// It lives beside the ledger in the state folder as `in-hand`: one slot per
/// worker in a file mapped shared into memory, so taking a file costs a
/// memory copy and no system call, and a process that dies leaves the
/// slots in the page cache for the next run to read. A run that ends,
/// however it ends without dying, removes the file.
final class InHandJournal: @unchecked Sendable {
    static let fileName = "in-hand"
    /// A length word, then the path's bytes (PATH_MAX is 4096).
    static let slotSize = 8 + 4096

    private let path: String
    private let fd: Int32
    private let base: UnsafeMutableRawPointer
    private let size: Int

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
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        guard ftruncate(fd, off_t(size)) == 0,
              let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED else {
            close(fd)
            unlink(path)
            return nil
        }
        base = mapped
    }

    deinit {
        munmap(base, size)
        close(fd)
    }

    /// Worker `worker` starts reading the file at `file`.
    func take(_ worker: Int, _ file: RawPath) {
        guard (worker + 1) * Self.slotSize <= size else { return }
        let slot = base + worker * Self.slotSize
        slot.storeBytes(of: 0, as: Int.self)
        let n = min(file.bytes.count, Self.slotSize - 8)
        file.bytes.withUnsafeBytes { b in
            if let from = b.baseAddress { (slot + 8).copyMemory(from: from, byteCount: n) }
        }
        slot.storeBytes(of: n, as: Int.self)
    }

    /// Worker `worker` is done with its file.
    func release(_ worker: Int) {
        guard (worker + 1) * Self.slotSize <= size else { return }
        (base + worker * Self.slotSize).storeBytes(of: 0, as: Int.self)
    }

    /// The run ended without dying: nothing is in hand.
    func remove() {
        unlink(path)
    }
}
