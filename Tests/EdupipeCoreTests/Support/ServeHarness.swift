import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An `edupipe serve` process for a test: its own inbox and state folder,
/// a free port on loopback, accounts made through the real command, and a
/// small blocking HTTP/1.1 client on raw sockets (so a test can also cut a
/// body short, stall, or hold a connection open). Shared with helper threads
/// only after `start`, when it no longer changes.
final class ServeHarness: @unchecked Sendable {
    let root: String
    let inbox: String
    let state: String
    private(set) var pid: pid_t = 0
    private(set) var port: Int = 0
    let extra: [String]
    let logPath: String

    init(label: String = "serve", extra: [String] = [], inbox: String? = nil) throws {
        root = Fixtures.tempDirectory(label)
        self.inbox = inbox ?? root + "/inbox"
        state = root + "/state"
        logPath = root + "/serve.out"
        self.extra = extra
        try FileManager.default.createDirectory(atPath: self.inbox, withIntermediateDirectories: true)
    }

    deinit { stop() }

    /// Makes an account and returns its token.
    func account(_ unit: String, extra: [String] = []) throws -> String {
        let r = try BinaryRunner.run(["accounts", "add", "--unit", unit, "--state", state] + extra)
        guard r.status == 0 else { throw BinaryRunner.RunnerError(description: "accounts add: \(r.stderr)") }
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts the server and waits until it listens.
    func start(timeout: Int = 2, environment: [String: String] = [:]) throws {
        guard let binary = BinaryRunner.binary else { throw BinaryRunner.RunnerError(description: "no edupipe binary") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, root + "/serve.err", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let args = [binary, "serve", "--inbox", inbox, "--state", state, "--listen", "127.0.0.1:0", "--timeout", String(timeout)] + extra
        let argv = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        guard posix_spawn(&pid, binary, &actions, nil, argv, envp) == 0 else { throw BinaryRunner.RunnerError(description: "spawn failed") }
        for _ in 0..<400 {
            if let text = try? String(contentsOfFile: logPath, encoding: .utf8),
               let r = text.range(of: #"127\.0\.0\.1:([0-9]+)/"#, options: .regularExpression) {
                port = Int(text[r].dropFirst("127.0.0.1:".count).dropLast()) ?? 0
                return
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                pid = 0
                throw BinaryRunner.RunnerError(description: "serve exited: \((try? String(contentsOfFile: root + "/serve.err", encoding: .utf8)) ?? "")")
            }
            usleep(25_000)
        }
        throw BinaryRunner.RunnerError(description: "serve did not start listening")
    }

    var stderr: String { (try? String(contentsOfFile: root + "/serve.err", encoding: .utf8)) ?? "" }

    /// SIGTERM, then waits; returns the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        guard pid > 0 else { return -1 }
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        pid = 0
        return status
    }

    /// The files under the inbox (relative paths, hidden ones included), sorted.
    func inboxFiles() -> [String] {
        (FileManager.default.enumerator(atPath: inbox)?.allObjects as? [String] ?? [])
            .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: inbox + "/" + $0, isDirectory: &d) && !d.boolValue }
            .sorted()
    }

    // MARK: HTTP

    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    func request(_ method: String, _ path: String, token: String? = nil, body: [UInt8]? = nil, headers: [String: String] = [:]) throws -> Reply {
        let c = try Connection(port: port)
        defer { c.close() }
        try c.send(head(method, path, token: token, length: body?.count, headers: headers) + (body ?? []))
        return try c.reply()
    }

    func head(_ method: String, _ path: String, token: String?, length: Int?, headers: [String: String] = [:]) -> [UInt8] {
        var h = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if let token { h += "Authorization: Bearer \(token)\r\n" }
        if let length { h += "Content-Length: \(length)\r\n" }
        for (k, v) in headers { h += "\(k): \(v)\r\n" }
        return Array((h + "\r\n").utf8)
    }

    func put(_ name: String, _ body: [UInt8], token: String?, query: String = "") throws -> Reply {
        try request("PUT", "/api/v1/files/" + name + query, token: token, body: body)
    }

    /// One TCP connection on loopback, blocking, with a receive timeout.
    final class Connection {
        let fd: Int32
        private var buffer: [UInt8] = []

        init(port: Int, receiveTimeout: Int = 20) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var tv = timeval(tv_sec: receiveTimeout, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard rc == 0 else { Glibc.close(fd); throw BinaryRunner.RunnerError(description: "connect: \(errno)") }
        }

        func send(_ bytes: [UInt8]) throws {
            var off = 0
            while off < bytes.count {
                let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw BinaryRunner.RunnerError(description: "send: \(errno)") }
                off += n
            }
        }

        func close() { Glibc.close(fd) }

        /// Reads more bytes; false at the end of the stream or a timeout.
        private func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = recv(fd, &chunk, chunk.count, 0)
            guard n > 0 else { return false }
            buffer += chunk[0..<n]
            return true
        }

        /// True when the server closes the connection within the receive
        /// timeout (without sending anything more than a reply).
        func waitForClose() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &chunk, chunk.count, 0)
                if n == 0 { return true }
                if n < 0 { return false }
            }
        }

        func reply() throws -> Reply {
            var headEnd: Int?
            while headEnd == nil {
                if let r = buffer.firstRange(of: Array("\r\n\r\n".utf8)) { headEnd = r.upperBound; break }
                guard fill() else { throw BinaryRunner.RunnerError(description: "connection closed before a reply") }
            }
            let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
            let lines = head.components(separatedBy: "\r\n")
            let status = Int(lines[0].split(separator: " ")[1]) ?? 0
            var headers: [String: String] = [:]
            for l in lines.dropFirst() where l.contains(":") {
                let k = l[..<l.firstIndex(of: ":")!].lowercased()
                headers[k] = l[l.index(after: l.firstIndex(of: ":")!)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while buffer.count < headEnd! + length {
                guard fill() else { throw BinaryRunner.RunnerError(description: "connection closed mid-reply") }
            }
            let body = Array(buffer[headEnd!..<(headEnd! + length)])
            buffer.removeFirst(headEnd! + length)
            return Reply(status: status, headers: headers, body: body)
        }
    }
}
