import Testing
@testable import EdupipeInput

@Suite struct StreamTests {
    func drain(_ source: ByteSource, chunk: Int = 5) throws(InputError) -> [UInt8] {
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    @Test func gzipIsDetectedByMagicNotName() throws {
        let plain = try drain(ContentSource.open(MemorySource(Array("abc".utf8)), limit: 100))
        #expect(plain == Array("abc".utf8))
        let zipped = try drain(ContentSource.open(MemorySource(Fixtures.gzip("hello")), limit: 100))
        #expect(zipped == Array("hello".utf8))
    }

    @Test(arguments: [1, 3, 64]) func multiMemberGzip(inputChunk: Int) throws {
        let bytes = Fixtures.gzip("first,") + Fixtures.gzip("second,") + Fixtures.gzip("third")
        let out = try drain(ContentSource.open(MemorySource(bytes, maxChunk: inputChunk), limit: 1000))
        #expect(String(decoding: out, as: UTF8.self) == "first,second,third")
    }

    @Test func truncatedGzip() {
        let bytes = Fixtures.gzip(String(repeating: "class,", count: 200))
        #expect {
            try drain(ContentSource.open(MemorySource(Array(bytes.dropLast(12))), limit: 1 << 20))
        } throws: { error in
            if case InputError.gzip(let why) = error { return why.contains("truncated") }
            return false
        }
    }

    @Test func corruptGzip() {
        var bytes = Fixtures.gzip(String(repeating: "class,", count: 200))
        for i in 12..<min(bytes.count - 8, 30) { bytes[i] ^= 0xFF }
        #expect {
            try drain(ContentSource.open(MemorySource(bytes), limit: 1 << 20))
        } throws: { error in
            if case InputError.gzip = error { return true }
            return false
        }
    }

    @Test func garbageAfterAMemberIsCorruption() {
        let bytes = Fixtures.gzip("ok") + Array("trailing".utf8)
        #expect {
            try drain(ContentSource.open(MemorySource(bytes), limit: 1 << 20))
        } throws: { error in
            if case InputError.gzip = error { return true }
            return false
        }
    }

    @Test func sizeLimitWhileStreaming() {
        let big = Fixtures.gzip([UInt8](repeating: 0x0A, count: 10_000))
        #expect(throws: InputError.tooLarge(limit: 9_999)) {
            try drain(ContentSource.open(MemorySource(big), limit: 9_999), chunk: 4096)
        }
        #expect(throws: InputError.tooLarge(limit: 10)) {
            try drain(ContentSource.open(MemorySource(Array(repeating: 0x41, count: 11)), limit: 10))
        }
        // Exactly at the limit is fine.
        #expect(throws: Never.self) {
            try drain(ContentSource.open(MemorySource(big), limit: 10_000), chunk: 4096)
        }
    }

    @Test(arguments: [1, 2, 3, 5, 100]) func utf8ValidationAcrossChunks(chunk: Int) throws {
        let text = Array("县中 école 😀 end".utf8)
        let out = try drain(TextSource(input: MemorySource(text, maxChunk: chunk), encoding: .utf8), chunk: chunk)
        #expect(out == text)
    }

    @Test func invalidUTF8AsksForAnotherReading() {
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xB8], [0xFF]] {
            #expect(throws: InputError.notUTF8) {
                try drain(TextSource(input: MemorySource(Array("ok ".utf8) + bad), encoding: .utf8))
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 9]) func gb18030IsConvertedToUTF8(chunk: Int) throws {
        let text = "北京市第一小学,是,否,𠀀\n"
        let out = try drain(TextSource(input: MemorySource(Fixtures.gb18030(text), maxChunk: chunk), encoding: .gb18030), chunk: max(4, chunk))
        #expect(String(decoding: out, as: UTF8.self) == text)
    }

    @Test func neitherUTF8NorGB18030() {
        let bytes = Array("a,b\nline two\n".utf8) + [0xFF, 0x80]
        #expect {
            try drain(TextSource(input: MemorySource(bytes), encoding: .gb18030))
        } throws: { error in
            if case InputError.encoding(let line, _) = error { return line == 3 }
            return false
        }
    }
}
