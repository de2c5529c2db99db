import Foundation
import Testing

/// Pointer code lives in files named `…+Unsafe.swift`, behind a safe API,
/// so a reader knows which files need a sanitizer's eye
/// (docs/decisions.md, "Layers"), and only in the stages whose profile
/// asks for it: Support (system calls, threads, byte scans), Input (the
/// readers), Standard (the record checks), the student keys' HMAC (per
/// child) and Output's byte buffer and workbook writer. Run, Serve and
/// the generator have none.
@Suite struct UnsafeCodeTests {
    static var pointerCode: Regex<(Substring, Substring?, Substring?, Substring?)> { /Unsafe(Mutable)?(Raw)?(Buffer)?Pointer|withUnsafe|Unmanaged|OpaquePointer/ }

    /// Every Swift file of the package's sources whose code handles raw
    /// pointers, by path under Sources/.
    static func filesWithPointerCode() throws -> Set<String> {
        let root = Fixtures.packageRoot + "/Sources"
        var found: Set<String> = []
        for file in try FileManager.default.subpathsOfDirectory(atPath: root) where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
            // Comments may name the APIs.
            let code = text.replacing(/\/\/[^\n]*/, with: "")
            if code.contains(pointerCode) { found.insert(file) }
        }
        return found
    }

    @Test func pointerCodeOnlyInUnsafeFilesOfTheLowStages() throws {
        let found = try Self.filesWithPointerCode()
        #expect(found.contains("EdupipeStandard/Plan/Program+Unsafe.swift"))
        #expect(found.filter { !$0.hasSuffix("+Unsafe.swift") }.sorted() == [], "pointer code in a file not named …+Unsafe.swift")
        let allowed = ["EdupipeSupport/", "EdupipeInput/", "EdupipeStandard/", "EdupipeAggregate/StudentKeys+Unsafe.swift",
                       "EdupipeOutput/TextBuffer+Unsafe.swift", "EdupipeOutput/WorkbookArchive+Unsafe.swift",
                       "EdupipeOutput/SharedStrings+Unsafe.swift"]
        #expect(found.filter { f in !allowed.contains { f.hasPrefix($0) } }.sorted() == [], "pointer code in a stage that needs none")
        // A file named unsafe that has none is misnamed.
        let named = try FileManager.default.subpathsOfDirectory(atPath: Fixtures.packageRoot + "/Sources")
            .filter { $0.hasSuffix("+Unsafe.swift") }
        #expect(Set(named).subtracting(found).sorted() == [])
        #expect(named.count == 32)
    }
}
