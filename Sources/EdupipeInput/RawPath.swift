/// A file system path as the bytes the system gave, which need not be
/// UTF-8: a clerk's Windows share may name a folder in GB18030. Swift's
/// `String` cannot hold such bytes, so files are opened by these and shown
/// by `display`.
public struct RawPath: Sendable, Hashable {
    public private(set) var bytes: [UInt8]

    public init(_ path: String) { bytes = Array(path.utf8) }
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// `self/component`.
    public func appending(_ component: RawPath) -> RawPath {
        RawPath(bytes: bytes + [UInt8(ascii: "/")] + component.bytes)
    }

    /// The path for people and outputs: valid UTF-8 as it is, each byte of
    /// an invalid sequence as `\xHH`, and any resident ID masked (a file
    /// may be named after a child).
    public var display: String {
        // Nearly every path is valid UTF-8 with no ID in it: checked whole.
        var validator = UTF8Validator()
        if validator.validate(bytes[...]) && validator.atBoundary {
            return ResidentIDMask.scrub(String(decoding: bytes, as: UTF8.self))
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let length = UTF8Validator.sequenceLength(bytes, at: i)
            if length > 0 {
                out += bytes[i..<(i + length)]
                i += length
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(bytes[i] >> 4)], hex[Int(bytes[i] & 15)]]
                i += 1
            }
        }
        ResidentIDMask.scrub(bytes: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
