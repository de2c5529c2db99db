import Foundation
import Testing

/// Pointer code lives in files named `…+Unsafe.swift`, behind a safe API
/// and reached by a fuzz harness, so a reader knows which files need a
/// sanitizer's eye (docs/decisions.md, "Layers"). The files that held
/// pointer code before the rule are listed here, to be moved or made safe
/// one by one: the list may only shrink. A new file with pointer code and
/// another name fails; so does a listed file that no longer has any (take
/// it off the list).
@Suite struct UnsafeCodeTests {
    static let notYetMoved: Set<String> = [
        "EdupipeAggregate/Registry.swift",
        "EdupipeAggregate/StudentKeys.swift",
        "EdupipeInput/ByteSource.swift",
        "EdupipeInput/CSVReader.swift",
        "EdupipeInput/ContentSource.swift",
        "EdupipeInput/FieldValues.swift",
        "EdupipeInput/FileSource.swift",
        "EdupipeInput/GzipHeader.swift",
        "EdupipeInput/GzipSource.swift",
        "EdupipeInput/Inbox.swift",
        "EdupipeInput/RawPath.swift",
        "EdupipeInput/ReadWholeFile.swift",
        "EdupipeInput/Reference/GzipReference.swift",
        "EdupipeInput/Reference/ReferenceXML.swift",
        "EdupipeInput/ResidentIDMask.swift",
        "EdupipeInput/SubmissionName.swift",
        "EdupipeInput/TextSource.swift",
        "EdupipeInput/UTF8Validator.swift",
        "EdupipeInput/XMLDeclaredEncoding.swift",
        "EdupipeInput/XMLSubmissionReader.swift",
        "EdupipeOutput/ContractFiles.swift",
        "EdupipeOutput/GzipCompressor.swift",
        "EdupipeOutput/IssueSpool.swift",
        "EdupipeOutput/Markup.swift",
        "EdupipeOutput/PeriodTables.swift",
        "EdupipeOutput/SharedStrings.swift",
        "EdupipeOutput/SubmissionRecord.swift",
        "EdupipeOutput/TextBuffer.swift",
        "EdupipeOutput/WorkbookArchive.swift",
        "EdupipeRun/CrashIsolation.swift",
        "EdupipeRun/InHandJournal.swift",
        "EdupipeRun/InstallationSecret.swift",
        "EdupipeRun/NightlyRun.swift",
        "EdupipeRun/ProgressDisplay.swift",
        "EdupipeRun/RunLock.swift",
        "EdupipeRun/RunRecord.swift",
        "EdupipeServe/IncomingFile.swift",
        "EdupipeServe/ServeRoutes.swift",
        "EdupipeStandard/CSVSubmission.swift",
        "EdupipeStandard/ContentDigest.swift",
        "EdupipeStandard/KeyFingerprint.swift",
        "EdupipeStandard/KeyLines.swift",
        "EdupipeStandard/Plan/DatasetPlan.swift",
        "EdupipeStandard/Plan/PlanCompiler.swift",
        "EdupipeStandard/RecordChecker.swift",
        "EdupipeStandard/RecordRules.swift",
        "EdupipeStandard/SpreadsheetArtifact.swift",
        "EdupipeStandard/ValueParsers.swift",
        "EdupipeSupport/AtomicFile.swift",
        "EdupipeSupport/Bytes.swift",
        "EdupipeSupport/WorkerPool.swift",
        "EdupipeSynth/SyntheticInbox.swift",
        "EdupipeSynth/SyntheticRecords.swift",
        "edupipe/Commands/Plan.swift",
    ]

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

    @Test func pointerCodeOnlyInUnsafeFilesOrOnTheShrinkingList() throws {
        let found = try Self.filesWithPointerCode()
        #expect(found.contains("EdupipeStandard/Plan/Program+Unsafe.swift"))
        let unnamed = found.filter { !$0.hasSuffix("+Unsafe.swift") }
        #expect(unnamed.subtracting(Self.notYetMoved).sorted() == [], "pointer code in a file not named …+Unsafe.swift")
        #expect(Self.notYetMoved.subtracting(unnamed).sorted() == [], "listed but without pointer code now: take it off the list")
    }
}
