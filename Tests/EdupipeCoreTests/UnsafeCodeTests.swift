import Foundation
import Testing

/// Pointer code lives in files named `…+Unsafe.swift`, behind a safe API,
/// so a reader knows which files need a sanitizer's eye
/// (docs/decisions.md, "Layers"), and only in the stages whose profile
/// asks for it: Support's system calls (`SystemIO`), Input (the readers),
/// Standard (the record checks), Output's byte buffer and the workbook's
/// ZIP writer; fifteen files. Aggregate, the other writers,
/// Run, Serve, the generator and the executable have none.
@Suite struct UnsafeCodeTests {
    static var pointerCode: Regex<(Substring, Substring?, Substring?, Substring?)> {
        /Unsafe(Mutable)?(Raw)?(Buffer)?Pointer|withUnsafe|Unmanaged|OpaquePointer|unsafeUninitialized|\.pointee|baseAddress|loadUnaligned|assumingMemoryBound|\bwithUTF8[ ({]/
    }

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
        #expect(found.contains("EdupipeStandard/RecordRules+Unsafe.swift"))
        #expect(found.filter { !$0.hasSuffix("+Unsafe.swift") }.sorted() == [], "pointer code in a file not named …+Unsafe.swift")
        let allowed = ["EdupipeSupport/SystemIO+Unsafe.swift", "EdupipeInput/", "EdupipeStandard/",
                       "EdupipeOutput/TextBuffer+Unsafe.swift", "EdupipeOutput/WorkbookArchive+Unsafe.swift"]
        #expect(found.filter { f in !allowed.contains { f.hasPrefix($0) } }.sorted() == [], "pointer code in a stage that needs none")
        // A file named unsafe that has none is misnamed.
        let named = try FileManager.default.subpathsOfDirectory(atPath: Fixtures.packageRoot + "/Sources")
            .filter { $0.hasSuffix("+Unsafe.swift") }
        #expect(Set(named).subtracting(found).sorted() == [])
        #expect(named.count == 15)
    }
}
