import Testing
@testable import EdupipeStandard

/// Row-level rules of section 3, each with a bad record in CSV and, where
/// the form matters, XML; every assertion names code, line and column.
@Suite struct RowRuleTests {
    static let good = "110101,1111010001,第一小学,primary,800,1,700,5,120,1"

    func afterSchool(_ rows: [String]) -> FileReport {
        Fixtures.validate("110101_after_school_2022-autumn.csv", Samples.csv(Samples.afterHeader, rows))
    }
    func classes(_ rows: [String]) -> FileReport {
        Fixtures.validate("110101_class_size_2022-autumn.csv", Samples.csv(Samples.classHeader, rows))
    }
    func dropout(_ rows: [String]) -> FileReport {
        Fixtures.validate("110101_dropout_2022-autumn.csv", Samples.csv(Samples.dropoutHeader, rows))
    }

    @Test func requiredValues() {
        #expect(afterSchool([Self.good, "110101,1111010002,,primary,,1,0,5,120,1"]).triples == [Triple("E_REQUIRED", 3, "enrolled")])
        #expect(classes(["110101,1111010001,primary,1,   ,45"]).triples == [Triple("E_REQUIRED", 2, "class_id")])
        #expect(classes([",1111010001,primary,1,1-01,45"]).triples == [Triple("E_REQUIRED", 2, "county_code")])
        // An optional column may be left out of the header entirely.
        let noName = Samples.csv("county_code,school_id,stage,enrolled,offers_service,participants,days_per_week,minutes_per_day,funding_secured",
                                 ["110101,1111010001,primary,800,1,700,5,120,1"])
        #expect(Fixtures.validate("110101_after_school_2022-autumn.csv", noName).isValid)
    }

    @Test func types() {
        #expect(afterSchool(["110101,1111010001,x,primary,8o0,1,700,5,120,1"]).triples == [Triple("E_TYPE", 2, "enrolled")])
        #expect(afterSchool(["110101,1111010001,x,primary,800,maybe,700,5,120,1"]).triples == [Triple("E_TYPE", 2, "offers_service")])
        #expect(afterSchool(["11010,1111010001,x,primary,800,1,700,5,120,1"]).triples == [Triple("E_TYPE", 2, "county_code")])
        #expect(afterSchool(["110101,111101000,x,primary,800,1,700,5,120,1"]).triples == [Triple("E_TYPE", 2, "school_id")])
        #expect(afterSchool(["110101,1111010001,x,primary,-5,1,0,5,120,1"]).triples == [Triple("E_TYPE", 2, "enrolled")])
        #expect(dropout(["110101,110101201005010012,,7,2023-02-29,out,,"]).triples == [Triple("E_TYPE", 2, "identified_on")])
        #expect(dropout(["110101,11010120100501001,,7,2023-02-01,out,,"]).triples == [Triple("E_TYPE", 2, "student_id")])
        // Digits 7-14 are not a real date: E_TYPE, not E_CHECKSUM.
        #expect(dropout(["110101,110101201302300010,,7,2023-02-01,out,,"]).triples == [Triple("E_TYPE", 2, "student_id")])
    }

    @Test func leadingZerosAndSpacesAreFine() {
        #expect(classes([" 110101 , 1111010001 , primary , 01 , 1-01 , 045 "]).isValid)
    }

    @Test func ranges() {
        #expect(afterSchool(["110101,1111010001,x,primary,20001,1,700,5,120,1"]).triples == [Triple("E_RANGE", 2, "enrolled")])
        #expect(afterSchool(["110101,1111010001,x,primary,800,1,700,8,120,1"]).triples == [Triple("E_RANGE", 2, "days_per_week")])
        #expect(afterSchool(["110101,1111010001,x,primary,800,1,700,5,481,1"]).triples == [Triple("E_RANGE", 2, "minutes_per_day")])
        #expect(classes(["110101,1111010001,primary,1,1-01,0"]).triples == [Triple("E_RANGE", 2, "students")])
        #expect(classes(["110101,1111010001,primary,1,1-01,151"]).triples == [Triple("E_RANGE", 2, "students")])
        #expect(dropout(["110101,110101201005010012,,10,2023-02-01,out,,"]).triples == [Triple("E_RANGE", 2, "grade")])
        let name = String(repeating: "校", count: 101)
        #expect(afterSchool(["110101,1111010001,\(name),primary,800,1,700,5,120,1"]).triples == [Triple("E_RANGE", 2, "school_name")])
        #expect(afterSchool(["110101,1111010001,\(String(repeating: "校", count: 100)),primary,800,1,700,5,120,1"]).isValid)
    }

    @Test func gradeMustFitTheStage() {
        let r = classes(["110101,1111010001,primary,8,1-01,45"])
        #expect(r.triples == [Triple("E_RANGE", 2, "grade")])
        #expect(r.log.all[0].message == "grade 8 is not a primary grade: primary classes are grades 1-6")
        #expect(classes(["110101,1111010001,junior,6,7-01,45"]).triples == [Triple("E_RANGE", 2, "grade")])
        #expect(classes(["110101,1111010001,senior,13,10-01,45"]).triples == [Triple("E_RANGE", 2, "grade")])
        #expect(classes(["110101,1111010001,senior,10,10-01,45", "110101,1111010001,junior,9,9-01,45"]).isValid)
    }

    @Test func classIDsCountCharactersNotBytes() {
        #expect(classes(["110101,1111010001,primary,1,\(String(repeating: "班", count: 20)),45"]).isValid)
        #expect(classes(["110101,1111010001,primary,1,\(String(repeating: "班", count: 21)),45"]).triples == [Triple("E_RANGE", 2, "class_id")])
    }

    @Test func enumerations() {
        #expect(afterSchool(["110101,1111010001,x,senior,800,1,700,5,120,1"]).triples == [Triple("E_ENUM", 2, "stage")])
        #expect(classes(["110101,1111010001,Primary,1,1-01,45"]).triples == [Triple("E_ENUM", 2, "stage")])
        #expect(dropout(["110101,110101201005010012,,7,2023-02-01,gone,,"]).triples == [Triple("E_ENUM", 2, "status")])
        #expect(dropout(["110101,110101201005010012,,7,2023-02-01,out,,money"]).triples == [Triple("E_ENUM", 2, "reason")])
    }

    @Test func duplicateKeys() {
        #expect(afterSchool([Self.good, Self.good]).triples == [Triple("E_DUPLICATE_KEY", 3, "school_id")])
        #expect(classes(["110101,1111010001,primary,1,1-01,45", "110101,1111010002,primary,1,1-01,45", "110101,1111010001,primary,2,1-01,40"])
            .triples == [Triple("E_DUPLICATE_KEY", 4, "class_id")])
        let long = String(repeating: "x", count: 18)
        #expect(classes(["110101,1111010001,primary,1,\(long),45", "110101,1111010001,primary,1,\(long),45"])
            .triples == [Triple("E_DUPLICATE_KEY", 3, "class_id")])
        let r = dropout(["110101,110101201005010012,,7,2023-02-01,out,,", "110101,110101201005010012,,7,2023-02-01,out,,"])
        #expect(r.triples == [Triple("E_DUPLICATE_KEY", 3, "student_id")])
        #expect(!r.log.all[0].message.contains("110101201005010012"))
    }

    @Test func countyMismatch() {
        #expect(classes(["110102,1111010001,primary,1,1-01,45"]).triples == [Triple("E_COUNTY_MISMATCH", 2, "county_code")])
    }

    @Test func checksum() {
        let r = dropout(["110101,110101201005010013,,7,2023-02-01,out,,"])
        #expect(r.triples == [Triple("E_CHECKSUM", 2, "student_id")])
        #expect(!r.log.all[0].message.contains("110101201005010013"))
        #expect(r.log.all[0].message.contains("110101********0013"))
    }

    @Test func afterSchoolRules() {
        #expect(afterSchool(["110101,1111010001,x,primary,800,1,801,5,120,1"]).triples == [Triple("E_RULE", 2, "participants")])
        #expect(afterSchool(["110101,1111010001,x,primary,800,0,5,0,0,0"]).triples == [Triple("E_RULE", 2, "participants")])
        #expect(afterSchool(["110101,1111010001,x,primary,800,Y,700,0,120,1"]).triples == [Triple("E_RULE", 2, "days_per_week")])
        #expect(afterSchool(["110101,1111010001,x,primary,800,true,700,5,0,1"]).triples == [Triple("E_RULE", 2, "minutes_per_day")])
        // Not offering, zero everywhere: valid.
        #expect(afterSchool(["110101,1111010001,x,primary,800,否,0,0,0,N"]).isValid)
    }

    @Test func dropoutRules() {
        #expect(dropout(["110101,110101201005010012,,7,2023-02-01,returned,,"]).triples == [Triple("E_REQUIRED", 2, "resolved_on")])
        #expect(dropout(["110101,110101201005010012,,7,2023-02-01,out,2023-03-01,"]).triples == [Triple("E_RULE", 2, "resolved_on")])
        #expect(dropout(["110101,110101201005010012,,7,2023-02-01,returned,2023-01-31,"]).triples == [Triple("E_RULE", 2, "resolved_on")])
        #expect(dropout(["110101,110101201005010012,1111010001,7,2023/2/1,returned,2023-02-01,family",
                         "110101,110101201103120020,,3,2023-02-01,out,,"]).isValid)
    }

    @Test func fieldCount() {
        let r = classes(["110101,1111010001,primary,1,1-01,45", "110101,1111010001,primary,1,1-02", "110101,1111010001,primary,1,1-03,45,9"])
        #expect(r.triples == [Triple("E_FIELD_COUNT", 3, nil), Triple("E_FIELD_COUNT", 4, nil)])
        #expect(r.records == 3)
    }

    @Test func errorsWithinARecordFollowFieldOrderThenRulesThenKey() {
        let r = afterSchool([Self.good, "110102,1111010001,x,middle,800,1,900,9,120,1"])
        #expect(r.triples == [Triple("E_COUNTY_MISMATCH", 3, "county_code"), Triple("E_ENUM", 3, "stage"),
                              Triple("E_RANGE", 3, "days_per_week"), Triple("E_RULE", 3, "participants"),
                              Triple("E_DUPLICATE_KEY", 3, "school_id")])
        #expect(r.log.firstError == .countyMismatch)
    }

    @Test func everyErrorIsCountedEvenPastTheListLimit() {
        let rows = (1...50).map { "110101,1111010001,primary,1,c\($0),999" }
        let r = Fixtures.validate("110101_class_size_2022-autumn.csv", Samples.csv(Samples.classHeader, rows)) { $0.maxListedIssuesPerFile = 10 }
        #expect(r.log.errorCount == 50)
        #expect(r.log.all.count == 11)
        #expect(r.log.all.last?.code == .errorsNotListed)
    }
}
