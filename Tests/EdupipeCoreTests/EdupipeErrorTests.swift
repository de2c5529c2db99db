import Foundation
import Testing
@testable import EdupipeSupport
@testable import EdupipeAggregate
@testable import EdupipeRun

/// Edupipe's own failures are values a caller switches on: a code, the
/// words for a person, and what lies under them.
@Suite struct EdupipeErrorTests {
    @Test func aFailedSystemCallKeepsItsErrorNumber() {
        let path = "/nonexistent-\(getpid())/x.csv"
        let error = failure { try AtomicFile.write("a", to: path) }
        #expect(error?.code == .io)
        #expect(error?.errno == ENOENT)
        #expect(error?.message.hasPrefix("cannot write /nonexistent-\(getpid())/") == true)
        #expect(error?.message.hasSuffix("No such file or directory") == true)
    }

    @Test func aRegistryThatIsWrongIsAnInvalidFileAndOneThatIsMissingIsIO() throws {
        let dir = NSTemporaryDirectory() + "edupipe-error-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "code,name,level,parent_code\n11000,北京市,province,\n".write(toFile: dir + "/r.csv", atomically: true, encoding: .utf8)
        let wrong = failure { _ = try Registry.load(path: dir + "/r.csv") }
        #expect(wrong?.code == .invalidFile)
        #expect(wrong?.message.contains("line 2: code 11000 is not 6 digits") == true)
        let missing = failure { _ = try Registry.load(path: dir + "/none.csv") }
        #expect(missing?.code == .io)
        #expect(missing?.cause != nil)
    }

    @Test func aHeldStateFolderIsBusyAndOverlappingFoldersAnInvalidArgument() throws {
        let dir = NSTemporaryDirectory() + "edupipe-busy-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try RunLock(directory: dir, kind: "state folder", wait: false, now: 0)
        #expect(failure { _ = try RunLock(directory: dir, kind: "state folder", wait: false, now: 0) }?.code == .busy)
        withExtendedLifetime(first) {}
        #expect(failure { try RunFolders.check(inbox: dir, out: dir + "/out", state: nil) }?.code == .invalidArgument)
        #expect(failure { try RunFolders.check(inbox: dir + "/in", out: dir + "/out", state: nil) } == nil)
    }
}
