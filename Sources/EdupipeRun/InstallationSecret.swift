#if canImport(Glibc)
import Glibc
#endif
import EdupipeSupport
import EdupipeInput

/// The per-installation secret of the student keys: `EDUPIPE_KEY` (hex) when
/// set, else `<state>/key`, created on first use with mode 0600 from the
/// system's random source. Changing it changes every `student_key`.
public enum InstallationSecret {

    public static let fileName = "key"

    /// Returns the secret and where it came from.
    public static func load(stateDirectory: String, environment: [String: String]) throws -> (secret: [UInt8], source: String) {
        if let hex = environment["EDUPIPE_KEY"] {
            guard let bytes = decodeHex(hex), bytes.count >= 16 else {
                throw EdupipeError(.invalidArgument, "EDUPIPE_KEY must be at least 32 hex digits (16 bytes)")
            }
            return (bytes, "EDUPIPE_KEY")
        }
        try makeDirectories(stateDirectory)
        let path = stateDirectory + "/" + fileName
        if let existing = try? readWholeFile(path, limit: 4096) {
            let text = String(decoding: existing, as: UTF8.self).trimmingSpacesAndNewlines
            guard let bytes = decodeHex(text), bytes.count >= 16 else {
                throw EdupipeError(.invalidFile, "\(path) does not hold a hex key of at least 32 digits: restore it, or remove it to start a new one (student keys will change)")
            }
            return (bytes, path)
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw EdupipeError.system("cannot create the key file \(path)")
        }
        let text = encodeHex(secret) + "\n"
        defer { close(fd) }
        try SystemIO.writeAll(fd, text, path: path)
        guard fsync(fd) == 0 else { throw EdupipeError.system("cannot sync the key file \(path)") }
        return (secret, path)
    }
}
