import Crypto
import Testing
@testable import EdupipeInput

/// A file's identity keeps its digest in four words: the bytes and the hex
/// the ledger and run.json write must come back exactly.
@Suite struct FileIdentityTests {
    @Test func theDigestComesBackByteForByte() {
        let digest = Array(SHA256.hash(data: Array("110101_class_size_2022-autumn.csv".utf8)))
        let identity = FileIdentity(size: 42, sha256: digest)
        #expect(identity.sha256 == digest)
        #expect(identity.hex == digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        #expect(identity.hex.count == 64)
    }

    @Test func equalOnlyWhenSizeAndEveryByteAgree() {
        let digest = Array(SHA256.hash(data: [1, 2, 3]))
        var last = digest
        last[31] ^= 1
        var first = digest
        first[0] ^= 0x80
        #expect(FileIdentity(size: 3, sha256: digest) == FileIdentity(size: 3, sha256: digest))
        #expect(FileIdentity(size: 3, sha256: digest) != FileIdentity(size: 4, sha256: digest))
        #expect(FileIdentity(size: 3, sha256: digest) != FileIdentity(size: 3, sha256: last))
        #expect(FileIdentity(size: 3, sha256: digest) != FileIdentity(size: 3, sha256: first))
    }
}
