import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import EdupipeInput
@testable import EdupipeRun

/// `edupipe serve` driven as a clerk's browser or script would: accounts
/// from the real command, the real binary listening on loopback.
@Suite(.serialized) struct ServeTests {
    static func classFile(_ county: String, students: Int = 45, rows: Int = 1) -> [UInt8] {
        let school = "1" + county.prefix(5) + "0001"
        return Array(Samples.csv(Samples.classHeader, (0..<rows).map { "\(county),\(school),primary,1,1-\(String(format: "%02d", $0 + 1)),\(students)" }).utf8)
    }

    @Test func accountsKeepOnlyTheHashAndRevokeStopsTheToken() throws {
        let s = try ServeHarness()
        let token = try s.account("110101", extra: ["--name", "东城区 数据员"])
        #expect(token.hasPrefix("edp_") && token.count == 4 + 64)
        let ledger = try Data(contentsOf: URL(fileURLWithPath: s.state + "/state.sqlite"))
        #expect(ledger.range(of: Data(token.utf8)) == nil)
        #expect(ledger.range(of: Data(AccountToken.hash(token).utf8)) != nil)
        let list = try BinaryRunner.run(["accounts", "list", "--state", s.state])
        #expect(list.stdout.contains("110101") && list.stdout.contains("东城区 数据员") && !list.stdout.contains(token))
        try s.start()
        #expect(try s.request("GET", "/api/v1/me", token: token).status == 200)
        #expect(try BinaryRunner.run(["accounts", "revoke", "1", "--state", s.state]).status == 0)
        let after = try s.request("GET", "/api/v1/me", token: token)
        #expect(after.status == 401)
        #expect(after.json["error"] as? String == "E_AUTH")
        #expect(try BinaryRunner.run(["accounts", "revoke", "1", "--state", s.state]).status == 1)
        #expect(try BinaryRunner.run(["accounts", "add", "--unit", "999999", "--state", s.state]).status == 2)
    }

    /// Each role against each endpoint: a county, a prefecture, a province,
    /// the nation, no token, a wrong token, a revoked one, and a unit that
    /// has left the registry.
    @Test func everyRoleAgainstEveryEndpoint() throws {
        let s = try ServeHarness()
        let dongcheng = try s.account("110101")
        let jiangan = try s.account("420102")
        let wuhan = try s.account("420100")
        let hubei = try s.account("420000")
        let nation = try s.account("000000")
        let revoked = try s.account("420103")
        #expect(try BinaryRunner.run(["accounts", "revoke", "6", "--state", s.state]).status == 0)
        // A registry without 110101: the account made for it is refused.
        let registry = s.root + "/divisions.csv"
        let rows = try String(contentsOfFile: Fixtures.packageRoot + "/samples/registry/divisions.csv", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("110101,") }
        try rows.joined(separator: "\n").write(toFile: registry, atomically: true, encoding: .utf8)
        let stale = try s.account("110101")
        try s.start()

        let bj = "110101_class_size_2022-autumn.csv"
        let wh = "420102_class_size_2022-autumn.csv"
        let xt = "429004_class_size_2022-autumn.csv"   // under Hubei, directly: no prefecture
        // Uploads: who may send which county's file.
        let uploads: [(String, String, String, Int)] = [
            ("county itself", dongcheng, bj, 201),
            ("county for another county", dongcheng, wh, 403),
            ("another county for Beijing", jiangan, "110101_dropout_2022-autumn.csv", 403),
            ("county itself", jiangan, wh, 201),
            ("prefecture for its county", wuhan, "420102_dropout_2022-autumn.csv", 201),
            ("prefecture for a county outside it", wuhan, xt, 403),
            ("province for its county", hubei, xt, 201),
            ("province for another province", hubei, "110101_after_school_2022-autumn.csv", 403),
            ("nation for any county", nation, "110102_class_size_2022-autumn.csv", 201),
        ]
        for (what, token, name, expected) in uploads {
            let county = String(name.prefix(6))
            let body = name.contains("dropout") ? Array(Samples.csv(Samples.dropoutHeader, []).utf8) : Self.classFile(county)
            let r = try s.put(name, body, token: token)
            #expect(r.status == expected, "\(what): \(r.status) \(r.text)")
        }
        for (what, token, status) in [("no token", nil, 401), ("a wrong token", "edp_" + String(repeating: "0", count: 64), 401),
                                      ("a revoked token", revoked, 401)] as [(String, String?, Int)] {
            for (method, path) in [("PUT", "/api/v1/files/\(bj)"), ("GET", "/api/v1/files/\(bj)"), ("GET", "/api/v1/files/\(bj)/errors.csv"),
                                   ("GET", "/api/v1/status"), ("GET", "/api/v1/runs/latest"), ("GET", "/api/v1/me")] {
                let r = try s.request(method, path, token: token, body: method == "PUT" ? Self.classFile("110101") : nil)
                #expect(r.status == status, "\(what) \(method) \(path): \(r.status)")
                #expect(r.headers["www-authenticate"] == "Bearer realm=\"edupipe\"")
            }
        }
        // Reading: receipts and errors of one's own counties only.
        #expect(try s.request("GET", "/api/v1/files/\(bj)", token: dongcheng).status == 200)
        #expect(try s.request("GET", "/api/v1/files/\(bj)", token: jiangan).status == 403)
        #expect(try s.request("GET", "/api/v1/files/\(wh)/errors.csv", token: hubei).status == 200)
        #expect(try s.request("GET", "/api/v1/files/\(wh)/errors.csv", token: dongcheng).status == 403)
        #expect(try s.request("GET", "/api/v1/files/\(bj)", token: nation).status == 200)
        // Status: scoped to the caller's unit.
        let countyStatus = try s.request("GET", "/api/v1/status?period=2022-autumn", token: jiangan).json
        let period = (countyStatus["periods"] as? [[String: Any]])?.first
        let provinces = period?["provinces"] as? [[String: Any]] ?? []
        #expect(provinces.count == 3 && provinces.allSatisfy { $0["expected"] as? Int == 1 })
        #expect((period?["counties"] as? [[String: Any]])?.compactMap { $0["county"] as? String } == ["420102", "420102"])
        let hubeiStatus = try s.request("GET", "/api/v1/status?period=2022-autumn", token: hubei).json
        let hp = (hubeiStatus["periods"] as? [[String: Any]])?.first?["provinces"] as? [[String: Any]] ?? []
        #expect(Set(hp.compactMap { $0["province"] as? String }) == ["420000"])
        #expect(hp.first { $0["dataset"] as? String == "class_size" }?["reporting"] as? Int == 2)
        let nationStatus = try s.request("GET", "/api/v1/status?period=2022-autumn", token: nation).json
        let np = (nationStatus["periods"] as? [[String: Any]])?.first?["provinces"] as? [[String: Any]] ?? []
        #expect(np.count == 31 * 3)
        // The counties an account covers, for the page's table.
        let hubeiUnits = try s.request("GET", "/api/v1/units", token: hubei).json["counties"] as? [[String: Any]] ?? []
        #expect(hubeiUnits.count == 103 && hubeiUnits.allSatisfy { ($0["code"] as? String)?.hasPrefix("42") == true })
        #expect(hubeiUnits.first { $0["code"] as? String == "420102" }?["prefecture"] as? String == "武汉市")
        let own = try s.request("GET", "/api/v1/units", token: jiangan).json["counties"] as? [[String: Any]] ?? []
        #expect(own.compactMap { $0["code"] as? String } == ["420102"])
        #expect(try s.request("GET", "/api/v1/units").status == 401)
        // The night's tables are for offices.
        #expect(try s.request("GET", "/api/v1/runs/latest", token: dongcheng).status == 403)
        #expect(try s.request("GET", "/api/v1/runs/latest", token: hubei).status == 200)
        #expect(try s.request("GET", "/api/v1/runs/latest", token: wuhan).status == 200)
        s.stop()

        // The unit left the registry: 403 on every route, nothing stored.
        let s3 = try ServeHarness(label: "serve-left", extra: ["--registry", registry], inbox: s.root + "/inbox2")
        try FileManager.default.copyItem(atPath: s.state, toPath: s3.state)
        try s3.start()
        let gone = try s3.put(bj, Self.classFile("110101"), token: stale)
        #expect(gone.status == 403)
        #expect((gone.json["message"] as? String)?.contains("110101") == true)
        #expect(try s3.request("GET", "/api/v1/status", token: stale).status == 403)
        #expect(s3.inboxFiles().isEmpty)
    }

    @Test func namesThatCouldReachOutsideTheFolderAreRefused() throws {
        let s = try ServeHarness()
        let nation = try s.account("000000")
        try s.start()
        let body = Self.classFile("110101")
        for name in ["..%2F..%2Fetc%2F110101_class_size_2022-autumn.csv", "%2E%2E%2F110101_class_size_2022-autumn.csv",
                     "110101_class_size_2022-autumn.csv%00.txt", ".110101_class_size_2022-autumn.csv",
                     String(repeating: "1", count: 300) + ".csv", "a%5Cb.csv", "%ZZ.csv", "110101_class_size_2022-autumn%2Ecsv%2F"] {
            let r = try s.put(name, body, token: nation)
            #expect(r.status == 400, "\(name): \(r.status)")
            #expect(r.json["error"] as? String == "E_FILENAME")
        }
        // `..` as a path segment never reaches the handler as a name.
        #expect(try s.request("PUT", "/api/v1/files/../../x.csv", token: nation, body: body).status == 404)
        // A name that is plain but wrong: what `validate` says, nothing stored.
        let r = try s.put("110101_classsize_2022-autumn.csv", body, token: nation)
        #expect(r.status == 422)
        #expect(r.json["stored"] as? Bool == false)
        let issues = (r.json["validation"] as? [String: Any])?["issues"] as? [[String: Any]]
        #expect(issues?.first?["code"] as? String == "E_FILENAME")
        // A county not in the registry: that error alone (the body is not read).
        let unknown = try s.put("999999_class_size_2022-autumn.csv", body, token: nation)
        #expect(unknown.status == 422)
        let unknownIssues = (unknown.json["validation"] as? [String: Any])?["issues"] as? [[String: Any]] ?? []
        #expect(unknownIssues.compactMap { $0["code"] as? String } == ["E_UNKNOWN_COUNTY"])
        #expect(s.inboxFiles().isEmpty)
    }

    /// The verdict over the network is `validate --format json`'s, field by
    /// field, in the caller's language.
    @Test func theVerdictIsWhatValidateGives() throws {
        let s = try ServeHarness()
        let token = try s.account("110101")
        try s.start()
        let name = "110101_class_size_2022-autumn.csv"
        let bytes = Array(Samples.csv(Samples.classHeader, ["110101,1111010001,primary,1,1-01,45", "110101,1111010001,primary,9,1-02,45",
                                                             "110101,111101000,primary,1,1-03,x"]).utf8)
        let dir = Fixtures.tempDirectory("validate-cmp")
        Fixtures.write(bytes, to: dir + "/" + name)
        for lang in ["zh", "en"] {
            let local = try BinaryRunner.run(["validate", "--format", "json", "--lang", lang, name], in: dir)
            let expected = ((try JSONSerialization.jsonObject(with: Data(local.stdout.utf8)) as? [String: Any])?["files"] as? [[String: Any]])?.first
            let r = try s.put(name, bytes, token: token, query: "?dry_run=1&lang=\(lang)")
            #expect(r.status == 200)
            let got = r.json["validation"] as? [String: Any]
            #expect(got.map { NSDictionary(dictionary: $0) } == expected.map { NSDictionary(dictionary: $0) })
            let issues = got?["issues"] as? [[String: Any]] ?? []
            #expect(issues.map { "\($0["line"] ?? "-"):\($0["column"] ?? "-"):\($0["code"] ?? "")" } == ["3:grade:E_RANGE", "4:school_id:E_TYPE", "4:students:E_TYPE"])
        }
        #expect(s.inboxFiles().isEmpty)
    }

    /// Stored once, never overwritten: the same bytes again get the first
    /// receipt; other bytes get 409 and the revision to send.
    @Test func storedFilesAreNeverOverwritten() throws {
        let s = try ServeHarness()
        let token = try s.account("420102")
        try s.start()
        let name = "420102_class_size_2022-autumn.csv.gz"
        let first = Fixtures.gzip(Self.classFile("420102"))
        let r1 = try s.put(name, first, token: token)
        #expect(r1.status == 201)
        #expect(r1.json["path"] as? String == "420000/420102/\(name)")
        #expect(r1.json["sha256"] as? String == FileIdentity.of(path: s.inbox + "/420000/420102/" + name)?.hex)
        #expect(r1.json["bytes"] as? Int == first.count)
        let again = try s.put(name, first, token: token)
        #expect(again.status == 200)
        #expect(again.body == r1.body)
        let other = try s.put(name, Fixtures.gzip(Self.classFile("420102", students: 44)), token: token)
        #expect(other.status == 409)
        #expect((other.json["message"] as? String)?.contains("420102_class_size_2022-autumn_r2.csv.gz") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.inbox + "/420000/420102/" + name)) == Data(first))
        #expect(try s.request("GET", "/api/v1/files/\(name)", token: token).body == r1.body)
        #expect(s.inboxFiles() == ["420000/420102/\(name)"])
    }

    /// A file an operator copied into the inbox after the server listed it
    /// (the index does not know it for a minute): the upload's link finds
    /// it, and it is answered as a file found before, never replaced.
    @Test func aFileCopiedInIsNeverOverwrittenEither() throws {
        let s = try ServeHarness()
        let token = try s.account("420102")
        try s.start()
        // The first upload lists the inbox; the copy comes after.
        #expect(try s.put("420102_class_size_2022-autumn.csv", Self.classFile("420102"), token: token).status == 201)
        let name = "420102_class_size_2022-spring.csv"
        let copied = Self.classFile("420102", students: 30)
        try Data(copied).write(to: URL(fileURLWithPath: s.inbox + "/420000/420102/" + name))
        let same = try s.put(name, copied, token: token)
        #expect(same.status == 200)
        #expect(same.json["error"] as? String == "ALREADY_STORED")
        let other = try s.put(name, Self.classFile("420102", students: 31), token: token)
        #expect(other.status == 409)
        #expect(other.json["error"] as? String == "E_NAME_TAKEN")
        #expect((other.json["message"] as? String)?.contains("420102_class_size_2022-spring_r2.csv") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.inbox + "/420000/420102/" + name)) == Data(copied))
        #expect(s.inboxFiles() == ["420000/420102/420102_class_size_2022-autumn.csv", "420000/420102/\(name)"])
    }

    /// What acceptance will do, as the inbox stands: in force, superseding,
    /// superseded, duplicate, revision conflict, rejected keeping the file
    /// in force.
    @Test func theReceiptSaysWhatAcceptanceWillDo() throws {
        let s = try ServeHarness()
        let token = try s.account("420102")
        try s.start()
        func standing(_ name: String, _ bytes: [UInt8], dryRun: Bool = false) throws -> [String: Any] {
            let r = try s.put(name, bytes, token: token, query: dryRun ? "?dry_run=1&lang=en" : "?lang=en")
            #expect(r.status == (dryRun ? 200 : 201), "\(name): \(r.text)")
            return r.json["acceptance"] as? [String: Any] ?? [:]
        }
        let base = "420102_class_size_2022-autumn"
        var a = try standing(base + "_r2.csv", Self.classFile("420102"))
        #expect(a["status"] as? String == "in_force" && a["in_force_before"] is NSNull)
        a = try standing(base + ".csv", Self.classFile("420102", students: 40))
        #expect(a["status"] as? String == "superseded")
        #expect((a["in_force_after"] as? [String: Any])?["revision"] as? Int == 2)
        a = try standing(base + "_r3.csv", Self.classFile("420102", students: 41))
        #expect(a["status"] as? String == "in_force")
        #expect((a["in_force_before"] as? [String: Any])?["path"] as? String == "420000/420102/\(base)_r2.csv")
        #expect((a["message"] as? String)?.contains("superseding revision 2") == true)
        // The same records in another form: a duplicate.
        a = try standing(base + "_r3.xml", Array(Samples.xml("class_size", county: "420102", [
            "<record county_code=\"420102\" school_id=\"1420100001\" stage=\"primary\" grade=\"1\" class_id=\"1-01\" students=\"41\"/>"]).utf8),
                         dryRun: true)
        #expect(a["status"] as? String == "duplicate")
        // Other records under the same revision: a conflict (dry run: nothing stored).
        a = try standing(base + "_r3.csv.gz", Fixtures.gzip(Self.classFile("420102", students: 42)), dryRun: true)
        #expect(a["status"] as? String == "revision_conflict")
        #expect(a["conflicting"] as? [String] == ["420000/420102/\(base)_r3.csv"])
        // A bad revision 4: rejected, revision 3 stays in force.
        a = try standing(base + "_r4.csv", Array("county_code\n420102\n".utf8))
        #expect(a["status"] as? String == "rejected")
        #expect((a["in_force_after"] as? [String: Any])?["revision"] as? Int == 3)
        #expect(s.inboxFiles() == ["420000/420102/\(base).csv", "420000/420102/\(base)_r2.csv", "420000/420102/\(base)_r3.csv",
                                   "420000/420102/\(base)_r4.csv"])
        // errors.csv of the rejected file: its errors, with a BOM for Excel.
        let e = try s.request("GET", "/api/v1/files/\(base)_r4.csv/errors.csv?lang=en", token: token)
        #expect(e.status == 200)
        #expect(Array(e.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let lines = String(decoding: e.body.dropFirst(3), as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "file,line,column,code,message")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("420000/420102/\(base)_r4.csv,1,") && $0.contains("E_HEADER") })
        #expect(lines.count == 6)
    }

    @Test func oversizedBodiesAreRefusedWithoutAByteStored() throws {
        let plan = Fixtures.tempDirectory("smallplan") + "/plan.yaml"
        let text = try String(contentsOfFile: Fixtures.packageRoot + "/pipelines/basic-education-2022.yaml", encoding: .utf8)
            .replacingOccurrences(of: "max_decompressed_bytes: 1073741824", with: "max_decompressed_bytes: 2000")
        try text.write(toFile: plan, atomically: true, encoding: .utf8)
        let s = try ServeHarness(extra: ["--pipeline", plan])
        let token = try s.account("110101")
        try s.start()
        // Declared too large: refused before the body is read.
        let declared = try s.put("110101_class_size_2022-autumn.csv", Self.classFile("110101", rows: 100), token: token)
        #expect(declared.status == 413)
        #expect(declared.json["error"] as? String == "E_TOO_LARGE")
        // Chunked, growing past the limit while it streams.
        let c = try ServeHarness.Connection(port: s.port)
        var head = "PUT /api/v1/files/110101_class_size_2022-autumn.csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
        head += "Transfer-Encoding: chunked\r\n\r\n"
        try c.send(Array(head.utf8))
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1500)
        try c.send(Array("5dc\r\n".utf8) + chunk + Array("\r\n".utf8))
        try c.send(Array("5dc\r\n".utf8) + chunk + Array("\r\n".utf8))
        let r = try c.reply()
        #expect(r.status == 413)
        c.close()
        usleep(200_000)
        #expect(s.inboxFiles().filter { !$0.hasSuffix("/") }.allSatisfy { !$0.contains(".part") })
        #expect(s.inboxFiles().isEmpty)
    }

    /// `Expect: 100-continue` (curl's way with `-T`): answered at once, the
    /// body follows, the upload is stored.
    @Test func expectContinueIsAnsweredAtOnce() throws {
        let s = try ServeHarness()
        let token = try s.account("110101")
        try s.start()
        let body = Self.classFile("110101")
        let c = try ServeHarness.Connection(port: s.port, receiveTimeout: 3)
        try c.send(s.head("PUT", "/api/v1/files/110101_class_size_2022-autumn.csv", token: token, length: body.count,
                          headers: ["Expect": "100-continue"]))
        #expect(try c.reply().status == 100)
        try c.send(body)
        #expect(try c.reply().status == 201)
        c.close()
        #expect(s.inboxFiles() == ["110000/110101/110101_class_size_2022-autumn.csv"])
    }

    /// A body cut off, and a client that stops sending: the connection is
    /// freed and nothing is left in the inbox.
    @Test func cutAndStalledUploadsLeaveNothing() throws {
        let s = try ServeHarness()
        let token = try s.account("110101")
        try s.start(timeout: 1)
        let name = "110101_class_size_2022-autumn.csv"
        let body = Self.classFile("110101", rows: 50)
        let cut = try ServeHarness.Connection(port: s.port)
        try cut.send(s.head("PUT", "/api/v1/files/" + name, token: token, length: body.count) + body.prefix(100))
        cut.close()
        let stalled = try ServeHarness.Connection(port: s.port, receiveTimeout: 10)
        try stalled.send(s.head("PUT", "/api/v1/files/" + name, token: token, length: body.count) + body.prefix(100))
        let started = Date()
        #expect(stalled.waitForClose())
        #expect(Date().timeIntervalSince(started) < 8)
        stalled.close()
        usleep(200_000)
        #expect(s.inboxFiles().allSatisfy { !$0.hasSuffix(".part") })
        #expect(!s.inboxFiles().contains("110000/110101/" + name))
        // The server still serves, and the whole file goes in after.
        #expect(try s.put(name, body, token: token).status == 201)
        let history = try BinaryRunner.run(["history", "--state", s.state, "--format", "json"])
        #expect(history.stdout.contains("\"verdict\":\"incomplete\""))
    }

    /// `kill -9` mid-upload: no partial file anywhere (the upload is an
    /// unnamed file until it is whole); a named temporary left where
    /// `O_TMPFILE` is missing is removed when the next server starts.
    @Test func killedMidUploadLeavesNoPartialFile() throws {
        let s = try ServeHarness()
        let token = try s.account("110101")
        try s.start()
        let name = "110101_class_size_2022-autumn.csv"
        let body = Self.classFile("110101", rows: 200)
        let c = try ServeHarness.Connection(port: s.port)
        try c.send(s.head("PUT", "/api/v1/files/" + name, token: token, length: body.count) + body.prefix(body.count / 2))
        // The server holds the half body: its upload is an open, unnamed
        // file in the upload folder.
        var holding = false
        for _ in 0..<100 where !holding {
            usleep(20_000)
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(s.pid)/fd")) ?? []
            holding = fds.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(s.pid)/fd/\($0)"))?.contains(".edupipe-uploads/") == true }
        }
        #expect(holding)
        s.stop(signal: SIGKILL)
        c.close()
        #expect(s.inboxFiles().isEmpty)
        // The nightly run never reads it.
        let out = s.root + "/out"
        let run = try BinaryRunner.run(["run", "--inbox", s.inbox, "--out", out, "--state", s.root + "/runstate", "--quiet"])
        #expect(run.status == 0)
        #expect(try String(contentsOfFile: out + "/submissions.csv", encoding: .utf8).split(separator: "\n").count == 1)
        // What a server without O_TMPFILE would have left: removed at start.
        Fixtures.write(Array("half".utf8), to: s.inbox + "/.edupipe-uploads/99-1-1.part")
        try s.start()
        #expect(s.inboxFiles().isEmpty)
        #expect(s.stderr.contains("removed 1 unfinished upload"))
    }

    /// SIGTERM while an upload is on its way: the upload finishes and gets
    /// its receipt, then the server exits.
    @Test func shutdownFinishesUploadsInFlight() throws {
        let s = try ServeHarness()
        let token = try s.account("110101")
        try s.start(timeout: 5)
        let name = "110101_class_size_2022-autumn.csv"
        let body = Self.classFile("110101", rows: 20)
        let c = try ServeHarness.Connection(port: s.port)
        try c.send(s.head("PUT", "/api/v1/files/" + name, token: token, length: body.count) + body.prefix(50))
        usleep(200_000)
        kill(s.pid, SIGTERM)
        usleep(300_000)
        try c.send(Array(body.dropFirst(50)))
        let r = try c.reply()
        #expect(r.status == 201)
        #expect(c.waitForClose())
        let status = s.stop(signal: 0)
        #expect(status == 0)
        #expect(s.inboxFiles() == ["110000/110101/" + name])
    }

    /// The night's run at the same moment as uploads: it sees each file
    /// whole or not at all, and both write the ledger.
    @Test func aRunDuringUploadsSeesWholeFiles() throws {
        let s = try ServeHarness()
        let token = try s.account("000000")
        try s.start()
        let counties = Array(Fixtures.registry.counties.prefix(60))
        let group = DispatchGroup()
        let statuses = Mutex<[Int]>([])
        DispatchQueue.global().async(group: group) {
            for c in counties {
                let r = try? s.put("\(c)_class_size_2022-autumn.csv", Self.classFile(c, rows: 300), token: token)
                statuses.withLock { $0.append(r?.status ?? 0) }
            }
        }
        var runs = 0
        repeat {
            let r = try BinaryRunner.run(["run", "--inbox", s.inbox, "--out", s.root + "/out\(runs)", "--state", s.state, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            let errors = try String(contentsOfFile: s.root + "/out\(runs)/errors.csv", encoding: .utf8)
            #expect(errors.split(separator: "\n").count == 1, "a run saw a partial file: \(errors.prefix(300))")
            runs += 1
        } while group.wait(timeout: .now()) == .timedOut && runs < 20
        group.wait()
        #expect(statuses.withLock { $0 } == [Int](repeating: 201, count: counties.count))
        let history = try BinaryRunner.run(["history", "--state", s.state])
        #expect(history.stdout.contains("completed"))
        #expect(history.stdout.contains("uploads, newest first"))
    }

    @Test func twoHundredClientsAtOnce() throws {
        // One account's 200 requests at once: past the default meter (64).
        let s = try ServeHarness(extra: ["--max-concurrent", "256"])
        let token = try s.account("000000")
        try s.start()
        let counties = Array(Fixtures.registry.counties.prefix(200))
        // All 200 connections open and every request sent before the first
        // reply is read: 200 clients in flight at once.
        var connections: [ServeHarness.Connection] = []
        for c in counties {
            let connection = try ServeHarness.Connection(port: s.port)
            let body = Self.classFile(c, rows: 20)
            try connection.send(s.head("PUT", "/api/v1/files/\(c)_class_size_2022-autumn.csv", token: token, length: body.count) + body)
            connections.append(connection)
        }
        var statuses: [Int] = []
        for c in connections {
            statuses.append((try? c.reply().status) ?? 0)
            c.close()
        }
        #expect(statuses == [Int](repeating: 201, count: 200))
        #expect(s.inboxFiles().count == 200)
        let status = try s.request("GET", "/api/v1/status?period=2022-autumn", token: token).json
        let provinces = (status["periods"] as? [[String: Any]])?.first?["provinces"] as? [[String: Any]] ?? []
        #expect(provinces.filter { $0["dataset"] as? String == "class_size" }.compactMap { $0["reporting"] as? Int }.reduce(0, +) == 200)
    }

    /// Four revisions of one county's file, each sent twice, all in flight
    /// at once: one group, decided one upload at a time between the syncs.
    /// Each name is stored once (201) and its twin gets the first's answer
    /// (200); the receipts agree on which file is in force at the end.
    @Test func oneGroupAtOnce() throws {
        let s = try ServeHarness()
        let token = try s.account("000000")
        try s.start()
        let county = Fixtures.registry.counties[0]
        var connections: [(revision: Int, connection: ServeHarness.Connection)] = []
        for revision in [1, 2, 3, 4, 1, 2, 3, 4] {
            let connection = try ServeHarness.Connection(port: s.port)
            let body = Self.classFile(county, students: 40 + revision, rows: 3)
            try connection.send(s.head("PUT", "/api/v1/files/\(county)_class_size_2022-autumn_r\(revision).csv", token: token,
                                       length: body.count) + body)
            connections.append((revision, connection))
        }
        var statuses: [Int: [Int]] = [:]
        for (revision, c) in connections {
            statuses[revision, default: []].append((try? c.reply().status) ?? 0)
            c.close()
        }
        for revision in 1...4 { #expect(statuses[revision]?.sorted() == [200, 201], "r\(revision)") }
        #expect(s.inboxFiles().map { $0.split(separator: "/").last.map(String.init) ?? "" }
            == (1...4).map { "\(county)_class_size_2022-autumn_r\($0).csv" })
        // Sent again now, r4's receipt is the one stored and says it is in force.
        let body = Self.classFile(county, students: 44, rows: 3)
        let again = try s.request("PUT", "/api/v1/files/\(county)_class_size_2022-autumn_r4.csv", token: token, body: body)
        #expect(again.status == 200)
        let acceptance = again.json["acceptance"] as? [String: Any]
        #expect(acceptance?["status"] as? String == "in_force")
    }

    /// A resident ID never reaches a log, the ledger or a reply, wherever
    /// it is put: in the name, in a header cell, in a value.
    @Test func noResidentIDInLogsLedgerOrReplies() throws {
        let s = try ServeHarness()
        let token = try s.account("110101")
        try s.start()
        let id = "110101201005010012"
        let name = "110101_dropout_2022-autumn_\(id).csv"
        let r1 = try s.put(name, Array("x\n".utf8), token: token)
        #expect(r1.status == 422)
        let body = Array(Samples.csv(Samples.dropoutHeader + ",\(id)", ["110101,\(id)x,1111010001,5,2022-09-02,returned,2022-09-21,,\(id)"]).utf8)
        let r2 = try s.put("110101_dropout_2022-autumn.csv", body, token: token)
        #expect(r2.status == 201)
        s.stop()
        for text in [r1.text, r2.text, try String(contentsOfFile: s.state + "/edupipe.log.jsonl", encoding: .utf8),
                     try BinaryRunner.run(["history", "--state", s.state, "--format", "json"]).stdout] {
            #expect(!text.contains(id))
        }
        let ledger = try Data(contentsOf: URL(fileURLWithPath: s.state + "/state.sqlite"))
        #expect(ledger.range(of: Data(id.utf8)) == nil)
        #expect(r2.text.contains("110101********0012"))
    }

    @Test func thePageAndTheGuideAreServedByTheBinary() throws {
        let s = try ServeHarness()
        try s.start()
        let page = try s.request("GET", "/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.text.contains("教育数据报送") && page.text.contains("Education data submission"))
        #expect(!page.text.contains("http://") && !page.text.contains("https://"))
        #expect(try s.request("GET", "/guide/en").text.contains("E_OUT_OF_SCOPE"))
        let t = try s.request("GET", "/templates/class_size.csv?county=420102")
        #expect(t.body == [0xEF, 0xBB, 0xBF] + Array("county_code,school_id,stage,grade,class_id,students\r\n".utf8))
        #expect(t.headers["content-disposition"]?.contains("420102_class_size_") == true)
        #expect(try s.request("GET", "/templates/nothing.csv").status == 404)
    }

    /// A province's server: files of its own counties only, the rest
    /// refused with their own code and not stored.
    @Test func aScopedServerRefusesOtherProvinces() throws {
        let s = try ServeHarness(extra: ["--scope", "42"])
        let nation = try s.account("000000")
        try s.start()
        let r = try s.put("110101_class_size_2022-autumn.csv", Self.classFile("110101"), token: nation)
        #expect(r.status == 422)
        let issues = (r.json["validation"] as? [String: Any])?["issues"] as? [[String: Any]] ?? []
        // The name's error alone: the body is neither read nor stored.
        #expect(issues.count == 1)
        let issue = issues.first
        #expect(issue?["code"] as? String == "E_OUT_OF_SCOPE")
        #expect((issue?["message"] as? String)?.contains("湖北省 420000") == true)
        #expect(try s.put("420102_class_size_2022-autumn.csv", Self.classFile("420102"), token: nation).status == 201)
        #expect(s.inboxFiles() == ["420000/420102/420102_class_size_2022-autumn.csv"])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func servesHTTPS() throws {
        let dir = Fixtures.tempDirectory("tls")
        let gen = try BinaryRunner.runScript("/usr/bin/openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -keyout \(dir)/key.pem -out \(dir)/cert.pem")
        #expect(FileManager.default.fileExists(atPath: dir + "/cert.pem"), "\(gen)")
        let s = try ServeHarness(extra: ["--tls-cert", dir + "/cert.pem", "--tls-key", dir + "/key.pem"])
        let token = try s.account("110101")
        try s.start()
        #expect(try String(contentsOfFile: s.logPath, encoding: .utf8).contains("https://127.0.0.1:"))
        let out = try BinaryRunner.runScript("/usr/bin/curl -s --cacert \(dir)/cert.pem -H 'Authorization: Bearer \(token)' https://127.0.0.1:\(s.port)/api/v1/me")
        #expect(out.contains("\"unit\":\"110101\""))
    }
}
