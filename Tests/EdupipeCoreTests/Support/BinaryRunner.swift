import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the `edupipe` executable built beside this test runner and reports
/// its exit status, output and peak memory (from `wait4`'s rusage).
enum BinaryRunner {
    struct Result {
        let status: Int32
        /// Set when the process was killed by a signal (a crash).
        let signal: Int32?
        let stdout: String
        let stderr: String
        let maxRSSBytes: Int
    }

    /// The `edupipe` of the same build folder as the test runner, so a test
    /// never drives a stale binary of another configuration.
    static var binary: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var dir = (exe as NSString).deletingLastPathComponent
        if dir.hasSuffix(".xctest/Contents/MacOS") { dir = ((dir as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent }
        let candidate = dir + "/edupipe"
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Result {
        guard let binary else { throw RunnerError(description: "edupipe is not built beside the test runner") }
        let out = Fixtures.tempDirectory("out") + "/stdout"
        let err = (out as NSString).deletingLastPathComponent + "/stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // `env -C` changes directory and then execs edupipe in the same
        // process, so wait4's usage is edupipe's.
        let command = (directory.map { ["/usr/bin/env", "-C", $0] } ?? []) + [binary] + arguments
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }

        var pid: pid_t = 0
        let rc = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard rc == 0 else { throw RunnerError(description: "posix_spawn failed: \(rc)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let exited = status & 0x7F == 0
        return Result(status: exited ? (status >> 8) & 0xFF : -1,
                      signal: exited ? nil : status & 0x7F,
                      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "",
                      maxRSSBytes: Int(usage.ru_maxrss) * 1024)
    }

    struct RunnerError: Error, CustomStringConvertible { let description: String }
}
