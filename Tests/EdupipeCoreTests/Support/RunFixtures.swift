import Foundation
@testable import EdupipeAggregate

/// A small inbox whose indicator values are worked out by hand in the tests.
enum HandInbox {
    static let X = "429004200801010048"  // listed by 420102 and 429004 (both in Hubei)
    static let Y = "110101201005010012"  // listed by 420102 (Hubei) and 110101 (Beijing)

    static var files: [(String, [UInt8])] {
        let a = Samples.afterHeader, c = Samples.classHeader, d = Samples.dropoutHeader
        func t(_ s: String) -> [UInt8] { Array(s.utf8) }
        return [
            // after_school
            ("hubei/420102_after_school_2022-autumn.csv", t(Samples.csv(a, [
                "420102,1142010001,江岸区实验小学,primary,100,Y,80,5,120,Y",
                "420102,1142010002,江岸区第二小学,primary,50,Y,50,4,120,N"]))),
            ("hubei/420103_after_school_2022-autumn.csv", Fixtures.gb18030(Samples.csv(a, [
                "420103,1142010301,江汉区小学,primary,200,否,0,0,0,否"]))),
            ("hubei/429004_after_school_2022-autumn.csv.gz", Fixtures.gzip(Samples.csv(a, [
                "429004,1142900401,仙桃市实验小学,junior,300,是,150,5,90,是"]))),
            ("beijing/110101_after_school_2022-autumn.csv", t(Samples.csv(a, [
                "110101,1111010001,史家胡同小学,primary,10,是,10,5,120,是"]))),
            // Same records as the CSV, in XML: a duplicate (later by name).
            ("beijing/110101_after_school_2022-autumn.xml", t(Samples.xml("after_school", [
                "<record county_code=\"110101\" school_id=\"1111010001\" school_name=\"史家胡同小学\" stage=\"primary\" enrolled=\"010\" offers_service=\"true\" participants=\"10\" days_per_week=\"5\" minutes_per_day=\"120\" funding_secured=\"1\"/>"]))),
            // dropout
            ("hubei/420102_dropout_2022-autumn.csv", t(Samples.csv(d, [
                "420102,\(X),,8,2022-09-01,out,,economic",
                "420102,\(Y),,5,2022-09-01,returned,2022-09-20,"]))),
            ("hubei/429004_dropout_2022-autumn.csv", t(Samples.csv(d, ["429004,\(X),,8,2022-09-03,out,,"]))),
            ("hubei/420103_dropout_2022-autumn.csv", t(d + "\n")),
            ("beijing/110101_dropout_2022-autumn.xml", t(Samples.xml("dropout", [
                "<record county_code=\"110101\" student_id=\"\(Y)\" grade=\"5\" identified_on=\"2022/9/2\" status=\"returned\" resolved_on=\"2022-09-21\"/>"]))),
            // class_size: r1 superseded by r2; r3 rejected, so r2 stays in force.
            ("hubei/420102_class_size_2022-autumn.csv", t(Samples.csv(c, [
                "420102,1142010001,primary,1,1-01,45", "420102,1142010001,primary,2,2-01,56",
                "420102,1142010002,junior,7,7-01,66", "420102,1142010003,senior,10,10-01,51"]))),
            ("hubei/420102_class_size_2022-autumn_r2.csv", t(Samples.csv(c, [
                "420102,1142010001,primary,1,1-01,40", "420102,1142010001,primary,2,2-01,60",
                "420102,1142010002,junior,7,7-01,50"]))),
            ("hubei/420102_class_size_2022-autumn_r3.csv", t(Samples.csv(c, ["420102,1142010001,primary,7,1-01,40"]))),
            ("hubei/429004_class_size_2022-autumn.xml", t(Samples.xml("class_size", county: "429004", [
                "<record county_code=\"429004\" school_id=\"1142900401\" stage=\"primary\" grade=\"3\" class_id=\"3-01\" students=\"46\"/>",
                "<record county_code=\"429004\" school_id=\"1142900402\" stage=\"senior\" grade=\"11\" class_id=\"11-01\" students=\"70\"/>"]))),
            // Same revision, different records: both rejected.
            ("hubei/420103_class_size_2022-autumn.csv", t(Samples.csv(c, ["420103,1142010301,primary,1,1-01,40"]))),
            ("hubei/420103_class_size_2022-autumn.csv.gz", Fixtures.gzip(Samples.csv(c, ["420103,1142010301,primary,1,1-01,41"]))),
            // A bad name, skipped names, and a period whose only file is rejected.
            ("beijing/notes.txt", t("call the county on Monday\n")),
            ("beijing/.110101_class_size_2022-autumn.csv", t("hidden\n")),
            ("beijing/110101_class_size_2022-autumn.csv.part", t("uploading\n")),
            ("beijing/110101_class_size_2022-autumn.csv.tmp", t("uploading\n")),
            ("beijing/110101_class_size_2023-spring.csv", t(Samples.csv(c, ["110101,1111010001,primary,1,1-01,0"]))),
        ]
    }

    /// Writes the inbox under a new folder, in the given order of files.
    static func make(order: [Int]? = nil) -> String {
        let root = Fixtures.tempDirectory("inbox")
        let all = files
        for i in order ?? Array(all.indices) { Fixtures.write(all[i].1, to: root + "/" + all[i].0) }
        return root
    }
}

extension IndicatorTable {
    func row(_ level: Registry.Level, _ code: String, _ indicator: String) -> IndicatorRow? {
        rows.first { $0.level == level && $0.code == code && $0.indicator == indicator }
    }
}

/// (numerator, denominator, value, status) of a row, for compact assertions.
struct Cell: Equatable, CustomStringConvertible {
    let numerator: Int
    let denominator: Int?
    let value: String?
    let status: String
    init(_ n: Int, _ d: Int?, _ v: String?, _ s: String) {
        numerator = n
        denominator = d
        value = v
        status = s
    }
    init(_ r: IndicatorRow) {
        self.init(r.numerator, r.denominator, r.value, r.status.rawValue)
    }
    var description: String { "(\(numerator), \(denominator.map(String.init) ?? "nil"), \(value ?? "nil"), \(status))" }
}
