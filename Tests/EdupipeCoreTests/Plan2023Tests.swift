import Foundation
import Testing
@testable import EdupipeStandard
@testable import EdupipeAggregate
@testable import EdupipeOutput
@testable import EdupipeRun
@testable import EdupipeSynth

/// The 2023 plan (section 7 of the standard): two collections added as YAML
/// only, checked as carefully as the 2022 ones, and their indicators
/// computed by hand on the 2023 sample inbox.
@Suite struct Plan2023Tests {
    static let config: CompiledPlan = try! CompiledPlan.load(path: Fixtures.packageRoot + "/pipelines/basic-education-2023.yaml")

    func validate(_ name: String, _ text: String, config: CompiledPlan = Self.config) -> FileReport {
        let dir = Fixtures.tempDirectory("p23")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        Fixtures.write(Array(text.utf8), to: dir + "/" + name)
        return SubmissionValidator(registry: Fixtures.registry, config: config).validate(path: dir + "/" + name, displayPath: name)
    }

    func triples(_ r: FileReport) -> [Triple] { r.log.all.map { Triple($0.code.rawValue, $0.line, $0.column) } }

    static let safety = "county_code,school_id,school_name,stage,full_time_guard,closed_management,alarm_video_linked,guard_post\n"
    static let preschool = "county_code,school_id,school_name,ownership,inclusive,children\n"

    @Test func theTwentyTwentyTwoPlanDoesNotKnowTheNewCollections() {
        let r = validate("110101_campus_safety_2023-autumn.csv", Self.safety, config: Fixtures.config)
        #expect(triples(r) == [Triple("E_FILENAME", nil, nil)])
        #expect(Self.config.datasets.map(\.rawValue) == ["after_school", "dropout", "class_size", "campus_safety", "preschool"])
    }

    @Test func campusSafetyRecordsAreCheckedFieldByField() {
        let r = validate("110101_campus_safety_2023-autumn.csv", Self.safety + """
            110101,1111010001,史家胡同小学,primary,1,1,1,1
            110101,1111010002,,college,1,1,1,1
            110101,1111010003,,junior,maybe,1,1,
            110102,1111010004,,senior,1,1,1,1
            110101,1111010001,,primary,1,1,1,1

            """)
        #expect(triples(r) == [Triple("E_ENUM", 3, "stage"), Triple("E_TYPE", 4, "full_time_guard"), Triple("E_REQUIRED", 4, "guard_post"),
                               Triple("E_COUNTY_MISMATCH", 5, "county_code"), Triple("E_DUPLICATE_KEY", 6, "school_id")])
        #expect(r.log.all[0].message == "stage is \"college\": write one of kindergarten, primary, junior, senior, combined")
        #expect(r.log.all[4].message == "school_id 1111010001 appears again (first on line 2): each school has exactly one record")
    }

    @Test func anEmptyCollectionIsEEmptyAndNoHeaderIsEHeader() {
        #expect(triples(validate("110101_campus_safety_2023-autumn.csv", Self.safety)) == [Triple("E_EMPTY", nil, nil)])
        #expect(validate("110101_campus_safety_2023-autumn.csv", Self.safety).log.all[0].message
            == "the file has no records: a campus_safety file lists at least one school")
        #expect(triples(validate("110101_preschool_2023-autumn.csv", Self.preschool)) == [Triple("E_EMPTY", nil, nil)])
        #expect(triples(validate("110101_preschool_2023-autumn.csv", "")).first?.code == "E_HEADER")
    }

    @Test func aPublicKindergartenIsInclusiveAndTheRuleWaitsForValidFields() {
        let r = validate("110101_preschool_2023-autumn.csv", Self.preschool + """
            110101,1111010005,第一幼儿园,public,0,360
            110101,1111010006,,public,,240
            110101,1111010007,,Public,1,100
            110101,1111010008,,private,0,3001
            110101,1111010009,,private,0,3000

            """)
        #expect(triples(r) == [Triple("E_RULE", 2, "inclusive"), Triple("E_REQUIRED", 3, "inclusive"),
                               Triple("E_ENUM", 4, "ownership"), Triple("E_RANGE", 5, "children")])
        #expect(r.log.all[0].message == "inclusive is 0 but ownership is public: a public kindergarten is inclusive (普惠); write 1 (是)")
        var zh = Self.config
        zh.language = .zh
        let z = validate("110101_preschool_2023-autumn.csv", Self.preschool + "110101,1111010005,,public,否,360\n", config: zh)
        #expect(z.log.all.first?.message == "inclusive 为 否，但 ownership 为 public：公办幼儿园都是普惠性幼儿园，请填 1（是）")
        let xml = validate("110101_preschool_2023-autumn.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <submission dataset="preschool" county="110101" period="2023-autumn">
              <record county_code="110101" school_id="1111010005" ownership="public" inclusive="N" children="10"/>
            </submission>

            """)
        #expect(triples(xml) == [Triple("E_RULE", 3, "inclusive")])
    }

    /// The sample inbox of the 2023 plan, run; figures computed by hand
    /// from samples/make-inbox-2023.sh.
    @Test func indicatorsOfTheNewCollectionsAtFourLevels() throws {
        let out = Fixtures.tempDirectory("out23")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let options = RunOptions(inbox: Fixtures.packageRoot + "/samples/inbox-2023", out: out, jobs: 2, stateDirectory: out + "/.state",
                                 environment: ["EDUPIPE_KEY": String(repeating: "ab", count: 32)])
        let result = try NightlyRun(setup: Setup(config: Self.config, registry: Fixtures.registry), options: options).execute()
        let table = try #require(result.tables.first { $0.period == "2023-autumn" })
        func row(_ code: String, _ indicator: String) -> IndicatorRow? { table.rows.first { $0.code == code && $0.indicator == indicator } }
        func cells(_ code: String, _ indicator: String) -> String {
            guard let r = row(code, indicator) else { return "missing" }
            return "\(r.numerator)/\(r.denominator.map(String.init) ?? "-") \(r.value ?? "") \(r.target?.text ?? "") \(r.status.rawValue)"
        }
        // 东城区: 360 + 240 inclusive of 750 children, 600 in public ones.
        #expect(cells("110101", "preschool.inclusive_coverage") == "600/750 0.800000 >=0.8 met")
        #expect(cells("110101", "preschool.public_share") == "600/750 0.800000 >=0.5 met")
        // 北京市辖区 and 北京市: 110101 and 110102 (420 + 180, all inclusive).
        #expect(cells("110100", "preschool.inclusive_coverage") == "1200/1350 0.888889 >=0.8 met")
        #expect(cells("110000", "preschool.inclusive_coverage") == "1200/1350 0.888889 >=0.85 met")
        // 湖北: 420102 (510 of 700) and 429004 revision 2 (280 of 400).
        #expect(cells("420102", "preschool.inclusive_coverage") == "510/700 0.728571 >=0.8 not_met")
        #expect(cells("429004", "preschool.inclusive_coverage") == "280/400 0.700000 >=0.8 not_met")
        #expect(cells("420000", "preschool.inclusive_coverage") == "790/1100 0.718182 >=0.85 not_met")
        #expect(cells("000000", "preschool.inclusive_coverage") == "1990/2450 0.812245 >=0.85 not_met")
        // Campus safety, 东城区: 4 schools, one without a guard post.
        #expect(cells("110101", "campus_safety.guard_post_share") == "3/4 0.750000 >=1 not_met")
        #expect(cells("110101", "campus_safety.all_four_share") == "3/4 0.750000 >=1 not_met")
        #expect(cells("110101", "campus_safety.guard_share") == "4/4 1.000000 >=1 met")
        // 西城区: the combined school is not under closed management.
        #expect(cells("110102", "campus_safety.closed_share") == "1/2 0.500000 >=1 not_met")
        // 东莞市 sent an empty file: rejected, so no data.
        #expect(cells("441900", "campus_safety.all_four_share") == "0/0  >=1 no_data")
        #expect(cells("000000", "campus_safety.reporting_rate").hasPrefix("3/\(Fixtures.registry.counties.count) "))
        #expect(cells("000000", "preschool.reporting_rate").hasPrefix("4/\(Fixtures.registry.counties.count) "))
        let statuses = Dictionary(uniqueKeysWithValues: result.submissions.map { ($0.path, $0.status) })
        #expect(statuses["hubei/429004_preschool_2023-autumn.csv"] == .superseded || statuses["hubei/429004_preschool_2023-autumn.csv"] == .rejected)
        #expect(statuses["hubei/429004_preschool_2023-autumn_r2.csv"] == .accepted)
        #expect(statuses["guangdong/441900_campus_safety_2023-autumn.csv"] == .rejected)
    }

    /// The guide's examples are files the plan accepts, in CSV and in XML.
    @Test func theFormatGuidesExamplesAreAccepted() {
        for p in Self.config.datasetPlans {
            let record = Examples.record(p)
            let csv = validate("110101_\(p.dataset.rawValue)_2023-autumn.csv", Examples.csv(p, rows: [record]))
            #expect(csv.isValid, "\(p.dataset.rawValue): \(csv.log.all)")
            let xml = validate("110101_\(p.dataset.rawValue)_2023-autumn.xml",
                               Examples.xml(p, county: "110101", period: "2023-autumn", rows: [record]))
            #expect(xml.isValid, "\(p.dataset.rawValue): \(xml.log.all)")
            let template = String(decoding: Examples.template(p, form: .csv, gb18030: false, county: "110101", period: "2023-autumn"), as: UTF8.self)
            let empty = validate("110101_\(p.dataset.rawValue)_2023-autumn.csv", template)
            #expect(triples(empty) == (p.mayBeEmpty ? [] : [Triple("E_EMPTY", nil, nil)]))
        }
    }

    /// docs/format.*.md are what `edupipe plan doc` writes from the 2023
    /// plan: regenerate them (`make docs`) when the plan changes.
    @Test func theCommittedFormatGuidesAreCurrent() throws {
        for language in Language.allCases {
            let committed = try String(contentsOfFile: Fixtures.packageRoot + "/docs/format.\(language.rawValue).md", encoding: .utf8)
            #expect(committed == FormatGuide.document(Self.config, language: language).markdown,
                    "docs/format.\(language.rawValue).md is stale: run make docs")
        }
    }
}

extension Plan2023Tests {
    /// `edupipe synth` draws the new collections from their declarations:
    /// every file it writes for them is accepted, and the three of 2022 are
    /// the files they always were.
    @Test func synthDrawsTheNewCollectionsFromThePlan() throws {
        let a = Fixtures.tempDirectory("syn23")
        let b = Fixtures.tempDirectory("syn22")
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        var options = SyntheticInbox.Options(out: a, seed: 9, counties: 3, scale: 0.05, period: "2023-autumn", jobs: 1)
        _ = try SyntheticInbox.write(options, registry: Fixtures.registry, config: Self.config)
        options.out = b
        _ = try SyntheticInbox.write(options, registry: Fixtures.registry, config: Fixtures.config)
        let files = try FileManager.default.subpathsOfDirectory(atPath: a).filter { $0.hasSuffix(".gz") }.sorted()
        #expect(files.filter { $0.contains("campus_safety") }.count == 3 && files.filter { $0.contains("preschool") }.count == 3)
        let validator = SubmissionValidator(registry: Fixtures.registry, config: Self.config)
        for f in files {
            let r = validator.validate(path: a + "/" + f, displayPath: f)
            // A dropout list may be empty: "zero dropouts" is the goal.
            #expect(r.isValid && (r.records > 0 || f.contains("_dropout_")), "\(f): \(r.log.all)")
            if !f.contains("campus_safety") && !f.contains("preschool") {
                #expect(FileManager.default.contents(atPath: a + "/" + f) == FileManager.default.contents(atPath: b + "/" + f))
            }
        }
    }
}

extension Plan2023Tests {
    /// What Excel and WPS do to values is recognised and named with the fix,
    /// for the old collections and the new alike; an ID in scientific
    /// notation never shows digits it did not have.
    @Test func spreadsheetArtifactsAreNamedWithTheirFix() {
        let r = validate("110101_dropout_2022-autumn.csv", """
            county_code,student_id,school_id,grade,identified_on,status,resolved_on,reason
            110101,1.10101E+17,1101010001.0,８,44835,out,,

            """)
        #expect(triples(r) == [Triple("E_TYPE", 2, "student_id"), Triple("E_TYPE", 2, "school_id"),
                               Triple("E_TYPE", 2, "grade"), Triple("E_TYPE", 2, "identified_on")])
        #expect(r.log.all[0].message.contains("scientific notation"))
        #expect(r.log.all[1].message.contains("write 1101010001 "))
        #expect(r.log.all[2].message.contains("write 8 in half-width"))
        #expect(r.log.all[3].message.contains("serial number (2022-10-01)"))
        let p = validate("110101_preschool_2023-autumn.csv", Self.preschool + "110101,1111010005,,public,1,３６０\n")
        #expect(triples(p) == [Triple("E_TYPE", 2, "children")])
        #expect(p.log.all[0].message.contains("write 360 in half-width"))
        // A plain mistake keeps the plain message.
        let plain = validate("110101_preschool_2023-autumn.csv", Self.preschool + "110101,1111010005,,public,1,many\n")
        #expect(plain.log.all.first?.message.contains("not a whole number") == true)
        #expect(SpreadsheetArtifact.civil(days: 0) == "1970-01-01" && SpreadsheetArtifact.civil(days: 19266) == "2022-10-01")
    }
}

extension Plan2023Tests {
    /// A clerk with a Chinese desktop reads the CSV form's errors and the
    /// verdict in Chinese; the code, line and column are the same.
    @Test func theCSVFormsMessagesAndTheVerdictInChinese() {
        var zh = Self.config
        zh.language = .zh
        let header = validate("110101_preschool_2023-autumn.csv", "county_code,school_id,school_id\n", config: zh)
        #expect(triples(header).first == Triple("E_HEADER", 1, "school_id"))
        #expect(header.log.all.first?.message == "列名 school_id 出现了两次：请只保留一个")
        let quote = validate("110101_preschool_2023-autumn.csv", Self.preschool + "110101,1111010005,\"第一幼儿园,public,1,360\n", config: zh)
        #expect(triples(quote) == [Triple("E_CSV_SYNTAX", 2, "school_name")])
        #expect(quote.log.all[0].message.hasPrefix("第 2 行开始的带引号的值没有结束"))
        let count = validate("110101_preschool_2023-autumn.csv", Self.preschool + "110101,1111010005,public,1,360\n", config: zh)
        #expect(count.log.all.first?.message.hasPrefix("这一行有 5 个字段，列名行有 6 个") == true)
        #expect(ValidationReport.text([count], language: .zh).hasSuffix("共 1 个文件：通过 0 个，拒收 1 个\n"))
        #expect(ValidationReport.text([count]).hasSuffix("1 file: 0 accepted, 1 rejected\n"))
        let name = validate("110101_preschool_2023-Autumn.csv", Self.preschool, config: zh)
        #expect(name.log.all.first?.message.hasPrefix("110101_preschool_2023-Autumn.csv 含有大写字母") == true)
        let xml = validate("110101_preschool_2023-autumn.xml",
                           "<?xml version=\"1.0\"?>\n<submission dataset=\"preschool\" county=\"110102\" period=\"2023-autumn\"/>\n", config: zh)
        #expect(triples(xml).first == Triple("E_METADATA", 2, "county"))
        #expect(xml.log.all.first?.message == "<submission> 写的是 county=\"110102\"，文件名是 110101：两者必须一致")
        #expect(Language.from(environment: ["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(Language.from(environment: ["LC_ALL": "C", "LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.from(environment: [:]) == .en)
    }
}

extension Plan2023Tests {
    /// Exported by LibreOffice Calc from a workbook (scripts/check-libreoffice.sh):
    /// UTF-8 and GB18030, every text cell quoted, Chinese commas, curly
    /// quotes and doubled quotes in school names. Accepted, with the names
    /// read back as they were typed.
    @Test func csvFilesLibreOfficeExportsAreAccepted() throws {
        let validator = SubmissionValidator(registry: Fixtures.registry, config: Fixtures.config)
        let dir = Fixtures.packageRoot + "/samples/libreoffice/"
        for (name, encoding) in [("110101_after_school_2022-autumn.csv", "UTF-8"), ("110101_after_school_2022-autumn_r2.csv", "GB18030")] {
            let r = validator.validate(path: dir + name, displayPath: name, digest: true)
            #expect(r.isValid && r.records == 3 && r.encoding == encoding, "\(name): \(r.log.all)")
        }
        // The name, which the report parses, is the file's own.
        let utf8 = validator.validate(path: dir + "110101_after_school_2022-autumn.csv", displayPath: "110101_after_school_2022-autumn.csv",
                                      digest: true)
        let gb = validator.validate(path: dir + "110101_after_school_2022-autumn_r2.csv", displayPath: "110101_after_school_2022-autumn_r2.csv",
                                    digest: true)
        let source = try String(contentsOfFile: dir + "source.csv", encoding: .utf8)
        #expect(source.contains("“培新”小学 \"\"老校区\"\"") && source.contains("（东校区），含“5+2”试点"))
        // The same records in both encodings, typed value by typed value.
        #expect(utf8.contentDigest != nil && utf8.contentDigest == gb.contentDigest)
    }
}
