import Foundation
import Synchronization
import Testing
@testable import EdupipeServe

extension GroupSync {
    /// Waits, suspended, for the sync that carries this call's writes.
    func sync() async -> Bool {
        await withCheckedContinuation { (asked: CheckedContinuation<Bool, Never>) in
            afterSync { asked.resume(returning: $0) }
        }
    }
}

/// The server's grouped syncs (`GroupSync`): one sync carries every upload
/// that asked before it began, and never one that asked after.
@Suite struct GroupSyncTests {
    /// Syncs that each wait for the test's word, and what they answer.
    final class HeldSyncs: Sendable {
        private let state = Mutex((begun: 0, released: 0, answers: [Int: Bool]()))
        func sync() -> Bool {
            let number = state.withLock { $0.begun += 1; return $0.begun }
            while state.withLock({ $0.released < number }) { usleep(200) }
            return state.withLock { $0.answers[number] ?? true }
        }
        var begun: Int { state.withLock { $0.begun } }
        func release(_ number: Int, answer: Bool = true) { state.withLock { $0.released = number; $0.answers[number] = answer } }
    }

    static func onAThread(_ work: @escaping @Sendable () -> Void) { Thread.detachNewThread(work) }

    static func until(_ condition: () -> Bool) async {
        for _ in 0..<20_000 where !condition() { try? await Task.sleep(nanoseconds: 500_000) }
    }

    /// An upload that asks while a sync runs may have written after that
    /// sync looked: it waits for the next one, and gets that one's answer.
    @Test func aCallDuringASyncWaitsForTheNextOne() async {
        let held = HeldSyncs()
        let group = GroupSync(sync: held.sync, start: Self.onAThread)
        let first = Task { await group.sync() }
        await Self.until { held.begun == 1 }
        let second = Task { await group.sync() }
        await Self.until { group.waiting == 1 }
        #expect(held.begun == 1)
        held.release(1)
        #expect(await first.value == true)
        // The second caller's sync begins only now, and fails.
        await Self.until { held.begun == 2 }
        #expect(held.begun == 2)
        #expect(group.waiting == 0)
        held.release(2, answer: false)
        #expect(await second.value == false)
        #expect(group.syncs == 2)
        // A failure is not remembered: the next sync answers for itself.
        held.release(3)
        #expect(await group.sync() == true)
        #expect(group.syncs == 3)
    }

    /// Forty uploads asking while one sync runs share the next one.
    @Test func callersWaitingTogetherShareOneSync() async {
        let held = HeldSyncs()
        let group = GroupSync(sync: held.sync, start: Self.onAThread)
        let first = Task { await group.sync() }
        await Self.until { held.begun == 1 }
        let others = (0..<40).map { _ in Task { await group.sync() } }
        await Self.until { group.waiting == 40 }
        #expect(group.waiting == 40)
        held.release(2)
        var answers: [Bool] = [await first.value]
        for t in others { answers.append(await t.value) }
        #expect(answers == [Bool](repeating: true, count: 41))
        #expect(group.syncs == 2)
        #expect(held.begun == 2)
    }

    /// The real thing: `syncfs` of a folder's file system; a folder that
    /// cannot be opened is refused when the server starts.
    @Test func syncsTheFolder() async throws {
        let folder = Fixtures.tempDirectory("group-sync")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let group = try GroupSync(folder: folder, start: Self.onAThread)
        #expect(await group.sync() == true)
        #expect(group.syncs == 1)
        #expect(throws: (any Error).self) { try GroupSync(folder: folder + "/missing", start: Self.onAThread) }
    }
}
