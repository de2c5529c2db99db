/// Why a byte stream stopped before its end. The validator turns each case
/// into the standard's file-level error code.
public enum InputError: Error, Sendable, Equatable {
    /// The gzip stream is corrupt or truncated (`E_GZIP`).
    case gzip(String)
    /// More than `limit` bytes after decompression (`E_TOO_LARGE`).
    case tooLarge(limit: Int)
    /// The bytes are not valid UTF-8; the caller retries as GB18030.
    case notUTF8
    /// Neither UTF-8 nor GB18030 (`E_ENCODING`); `line` counts decoded lines.
    case encoding(line: Int, String)
    /// The file could not be opened or read.
    case io(String)
}

extension InputError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .gzip(let why), .io(let why), .encoding(_, let why): why
        case .tooLarge(let limit): "larger than \(limit) bytes"
        case .notUTF8: "not UTF-8"
        }
    }
}
