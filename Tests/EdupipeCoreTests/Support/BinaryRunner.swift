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
        /// Peak resident memory of edupipe itself, from GNU time.
        let maxRSSBytes: Int
    }

    /// glibc's posix_spawn clones the caller's address space until exec,
    /// and Linux carries that space's high-water mark into the child's
    /// rusage: the test runner's own size. GNU time forks for real, so its
    /// figure is edupipe's alone.
    static let time = "/usr/bin/time"

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
        let rssFile = (out as NSString).deletingLastPathComponent + "/rss"
        guard FileManager.default.isExecutableFile(atPath: time) else {
            throw RunnerError(description: "\(time) is missing: `make deps` installs Debian's time package")
        }
        let command = (directory.map { ["/usr/bin/env", "-C", $0] } ?? []) + [time, "-f", "%M", "-o", rssFile, binary] + arguments
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
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7F == 0
        // time writes "Command exited with non-zero status N" before the figure.
        let rssText = (try? String(contentsOfFile: rssFile, encoding: .utf8)) ?? ""
        let kilobytes = rssText.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? -1
        // A signal that ended edupipe itself is in time's report, not in
        // time's own status.
        let reported = rssText.split(separator: "\n").first { $0.hasPrefix("Command terminated by signal ") }
            .flatMap { Int32($0.dropFirst("Command terminated by signal ".count)) }
        return Result(status: exited && reported == nil ? (status >> 8) & 0xFF : -1,
                      signal: exited ? reported : status & 0x7F,
                      stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "",
                      maxRSSBytes: kilobytes * 1024)
    }

    /// Starts edupipe without waiting for it (to kill it mid-run).
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> pid_t {
        guard let binary else { throw RunnerError(description: "edupipe is not built beside the test runner") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // Only this process gets `environment`: tests run side by side.
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard rc == 0 else { throw RunnerError(description: "posix_spawn failed: \(rc)") }
        return pid
    }

    /// Runs a shell command under `script`, which gives it a pseudo-terminal,
    /// and returns what the terminal received.
    static func runScript(_ command: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", command, "/dev/null"]
        var environment = ProcessInfo.processInfo.environment
        environment["EDUPIPE_KEY"] = String(repeating: "cd", count: 32)
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Kills a started process with SIGKILL and reaps it.
    static func kill9(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    struct RunnerError: Error, CustomStringConvertible { let description: String }
}
