import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What `edupipe serve` let slip before (issue "Nothing slips through",
/// findings 6 to 11): each test failed on the server as it was.
@Suite(.serialized) struct ServeHardeningTests {
    static let name = "420102_class_size_2022-autumn.csv"

    static func classFile(rows: Int) -> [UInt8] {
        Array(Samples.csv(Samples.classHeader, (0..<rows).map { "420102,1142010001,primary,1,c\($0),45" }).utf8)
    }

    static func mode(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_mode & 0o777) : -1
    }

    /// Finding 8: an empty body takes no name.
    @Test func anEmptyPutStoresNothingAndLeavesTheName() throws {
        let s = try ServeHarness()
        let token = try s.account("420102")
        try s.start()
        let empty = try s.put(Self.name, [], token: token)
        #expect(empty.status == 400)
        #expect(empty.json["error"] as? String == "E_EMPTY_BODY")
        #expect(s.inboxFiles().isEmpty)
        #expect(try s.put(Self.name, Self.classFile(rows: 1), token: token).status == 201)
    }

    /// Finding 10: no token or ID at rest, modes of children's data.
    @Test func secretsNeverLoggedAndFilesClosed() throws {
        let s = try ServeHarness()
        let token = try s.account("420102")
        try s.start()
        let id = "110101200501010017"
        let encoded = id.utf8.map { String(format: "%%%02X", $0) }.joined()
        // A token by mistake in the query, and an ID percent-encoded in the path.
        _ = try s.request("GET", "/api/v1/files/\(encoded).csv?token=\(token)&id=\(id)", token: token)
        #expect(try s.put(Self.name, Self.classFile(rows: 1), token: token, query: "?token=\(token)").status == 201)
        s.stop()
        let log = try String(contentsOfFile: s.state + "/edupipe.log.jsonl", encoding: .utf8)
        let ledger = try Data(contentsOf: URL(fileURLWithPath: s.state + "/state.sqlite"))
            + ((try? Data(contentsOf: URL(fileURLWithPath: s.state + "/state.sqlite-wal"))) ?? Data())
        for secret in [token, id, encoded] {
            #expect(!log.contains(secret), "\(secret) in the log")
            #expect(ledger.range(of: Data(secret.utf8)) == nil, "\(secret) in the ledger")
        }
        #expect(log.contains("110101********0017"))
        for file in ["state.sqlite", "edupipe.log.jsonl"] { #expect(Self.mode(s.state + "/" + file) == 0o600, "\(file)") }
        #expect(Self.mode(s.inbox + "/420000/420102/" + Self.name) == 0o640)
        #expect(Self.mode(s.inbox + "/420000/420102") == 0o750)
    }

    /// The line per request is written without swift-log, and reads as the
    /// logger's lines do: time, level, message, then the fields by key.
    @Test func theRequestLineReadsAsTheLoggersLines() throws {
        let s = try ServeHarness()
        let token = try s.account("420102")
        try s.start()
        #expect(try s.put(Self.name, Self.classFile(rows: 1), token: token).status == 201)
        #expect(try s.put("420102_class_size_2023-spring.csv", Array("county_code\n420102\n".utf8), token: token,
                          query: "?dry_run=1").status == 200)
        s.stop()
        let lines = try String(contentsOfFile: s.state + "/edupipe.log.jsonl", encoding: .utf8).split(separator: "\n")
        func keys(_ line: Substring) -> [String] {
            line.matches(of: /"([a-z_]+)":/).map { String($0.output.1) }
        }
        let stored = lines.filter { $0.contains("\"target\":\"/api/v1/files/\(Self.name)\"") }
        #expect(stored.count == 1)
        #expect(stored.first.map(keys) == ["time", "level", "message", "account", "acceptance", "bytes", "method", "ms", "path",
                                           "status", "target", "unit", "verdict"])
        #expect(stored.first?.contains("\"level\":\"info\",\"message\":\"request\"") == true)
        #expect(stored.first?.contains("\"status\":\"201\"") == true)
        #expect(stored.first?.contains("\"unit\":\"420102\",\"verdict\":\"accepted\"}") == true)
        let dry = lines.filter { $0.contains("2023-spring") }
        #expect(dry.count == 1)
        #expect(dry.first.map(keys) == ["time", "level", "message", "account", "acceptance", "bytes", "dry_run", "first_error",
                                        "method", "ms", "path", "status", "target", "unit", "verdict"])
    }

    /// Finding 11: headers on every reply; no inline code but the page's own.
    @Test func headersOnEveryReply() throws {
        let s = try ServeHarness()
        let token = try s.account("420102")
        try s.start()
        let page = try s.request("GET", "/")
        let csp = page.headers["content-security-policy"] ?? ""
        #expect(!csp.contains("unsafe-inline"))
        #expect(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'sha256-"))
        for reply in [page, try s.request("GET", "/api/v1/me", token: token), try s.request("GET", "/api/v1/me"),
                      try s.request("GET", "/nothing")] {
            #expect(reply.headers["x-content-type-options"] == "nosniff", "\(reply.status)")
            #expect(reply.headers["x-frame-options"] == "DENY")
        }
        #expect(page.headers["strict-transport-security"] == nil, "HSTS only over TLS")
    }

    /// `Expect: 100-continue` is answered only once the token and the
    /// length pass.
    @Test func continueOnlyAfterTheChecks() throws {
        let s = try ServeHarness()
        let token = try s.account("420102")
        try s.start()
        func firstLine(_ token: String?, length: Int) throws -> String {
            let c = try ServeHarness.Connection(port: s.port, receiveTimeout: 5)
            defer { c.close() }
            try c.send(s.head("PUT", "/api/v1/files/" + Self.name, token: token, length: length, headers: ["Expect": "100-continue"]))
            var chunk = [UInt8](repeating: 0, count: 512)
            let n = recv(c.fd, &chunk, chunk.count, 0)
            return n > 0 ? String(decoding: chunk[0..<n], as: UTF8.self).components(separatedBy: "\r\n")[0] : ""
        }
        #expect(try firstLine(nil, length: 10).hasPrefix("HTTP/1.1 401"))
        #expect(try firstLine("edp_" + String(repeating: "0", count: 64), length: 10).hasPrefix("HTTP/1.1 401"))
        #expect(try firstLine(token, length: 1 << 40).hasPrefix("HTTP/1.1 413"))
        #expect(try firstLine(token, length: 10).hasPrefix("HTTP/1.1 100"))
    }

    /// Finding 6: a dry run stops at its own limit; work is metered per account.
    @Test func dryRunsStopEarlyAndAccountsAreMetered() throws {
        let s = try ServeHarness(extra: ["--dry-run-limit-mb", "1", "--meter-burst-mb", "2", "--meter-mb-per-minute", "1"])
        let token = try s.account("420102")
        let other = try s.account("420103")
        try s.start()
        // 1.5 MB of rows, gzipped to little.
        let big = Fixtures.gzip(Self.classFile(rows: 40_000))
        let dry = try s.put(Self.name, big, token: token, query: "?dry_run=1")
        #expect(dry.status == 200)
        let validation = dry.json["validation"] as? [String: Any]
        #expect((validation?["issues"] as? [[String: Any]])?.first?["code"] as? String == "E_TOO_LARGE", "\(dry.text)")
        #expect(s.inboxFiles().isEmpty)
        // The same bytes stored are read whole (the plan's limit): accepted.
        let real = try s.put(Self.name, big, token: token)
        #expect(real.status == 201, "\(real.text)")
        // 1 MB (dry run) + 1.5 MB spent of a 2 MB allowance: wait.
        let metered = try s.put("420102_class_size_2022-autumn_r2.csv", big, token: token, query: "?dry_run=1")
        #expect(metered.status == 429)
        #expect(Int(metered.headers["retry-after"] ?? "") ?? 0 >= 1)
        #expect(metered.json["error"] as? String == "E_TOO_MANY")
        // Another account is not held up.
        #expect(try s.put("420103_class_size_2022-autumn.csv", Array(Samples.csv(Samples.classHeader, ["420103,1142010301,primary,1,1-01,40"]).utf8),
                          token: other, query: "?dry_run=1").status == 200)
        s.stop()
        #expect(try String(contentsOfFile: s.state + "/edupipe.log.jsonl", encoding: .utf8).contains("\"status\":\"429\""))
    }

    /// Finding 9: the audit says what the client got.
    @Test func theAuditKeepsTheClientsStatus() throws {
        let s = try ServeHarness()
        let token = try s.account("420102")
        try s.start(timeout: 1)
        // A body cut short: the client goes away.
        do {
            let c = try ServeHarness.Connection(port: s.port)
            try c.send(s.head("PUT", "/api/v1/files/" + Self.name, token: token, length: 1000) + Array("county_code,".utf8))
            usleep(200_000)
            c.close()
        }
        // A client that stops sending: closed by the idle timeout.
        do {
            let c = try ServeHarness.Connection(port: s.port)
            try c.send(s.head("PUT", "/api/v1/files/420102_class_size_2022-autumn_r2.csv", token: token, length: 1000) + Array("county".utf8))
            #expect(c.waitForClose())
            c.close()
        }
        usleep(300_000)
        s.stop()
        let log = try String(contentsOfFile: s.state + "/edupipe.log.jsonl", encoding: .utf8)
        let statuses = log.split(separator: "\n").filter { $0.contains("\"method\":\"PUT\"") }.compactMap { line -> String? in
            guard let r = line.range(of: "\"status\":\"") else { return nil }
            return String(line[r.upperBound...].prefix { $0.isNumber })
        }
        #expect(!statuses.contains("500"), "\(statuses)")
        #expect(statuses.contains("408") || statuses.contains("499"), "\(statuses)")
        #expect(s.inboxFiles().isEmpty)
    }

    /// Finding 7: an office reads its own rows of the night, not the nation's.
    @Test func officesSeeTheirOwnOfTheNight() throws {
        let inbox = HandInbox.make()
        let s = try ServeHarness(inbox: inbox)
        let hubei = try s.account("420000")
        let nation = try s.account("000000")
        let out = s.root + "/out"
        let run = try BinaryRunner.run(["run", "--inbox", inbox, "--out", out, "--state", s.state, "--quiet"],
                                       environment: ["EDUPIPE_KEY": String(repeating: "ab", count: 32)])
        #expect(run.status == 0, "\(run.stderr)")
        try s.start()
        let listing = try s.request("GET", "/api/v1/runs/latest", token: hubei)
        #expect(listing.status == 200)
        #expect(!listing.text.contains("report.html") && listing.text.contains("indicators.csv"))
        let rows = try s.request("GET", "/api/v1/runs/latest/2022-autumn/indicators.csv", token: hubei).text
        let codes = Set(rows.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[2]) })
        #expect(codes.contains("420000") && codes.contains("420102") && codes.contains("420100"))
        #expect(!codes.contains("000000") && !codes.contains("110000") && !codes.contains("110101"))
        #expect(codes.allSatisfy { $0.hasPrefix("42") })
        #expect(try s.request("GET", "/api/v1/runs/latest/2022-autumn/report.html", token: hubei).status == 403)
        #expect(try s.request("GET", "/api/v1/runs/latest/2022-autumn/indicators.xlsx", token: hubei).status == 403)
        // The nation reads everything.
        #expect(try s.request("GET", "/api/v1/runs/latest/2022-autumn/report.html", token: nation).status == 200)
        #expect(try s.request("GET", "/api/v1/runs/latest/2022-autumn/indicators.csv", token: nation).text.contains(",national,000000,"))
        // A province's own night (--scope 42): its report is its own.
        let scoped = try BinaryRunner.run(["run", "--inbox", inbox, "--out", s.root + "/out42", "--state", s.state, "--scope", "42", "--quiet"],
                                          environment: ["EDUPIPE_KEY": String(repeating: "ab", count: 32)])
        #expect(scoped.status == 0 || scoped.status == 3, "\(scoped.stderr)")
        #expect(try s.request("GET", "/api/v1/runs/latest/2022-autumn/report.html", token: hubei).status == 200)
    }
}
