import Foundation
import Testing

/// Dependencies run one way through the library's folders, as the data
/// flows: Input → Standard → Aggregate → Output → Run. A type declared in a
/// later folder named in an earlier one fails this test, with both places.
@Suite struct LayerTests {
    static let order = ["Input", "Standard", "Aggregate", "Output", "Run"]

    /// The Swift files of one folder of the library, with comments removed.
    func sources(_ layer: String) throws -> [(file: String, text: String)] {
        let root = Fixtures.packageRoot + "/Sources/EdupipeCore/" + layer
        return try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".swift") }.sorted().map { f in
            let text = try String(contentsOfFile: root + "/" + f, encoding: .utf8)
            return (f, text.replacing(/\/\/[^\n]*/, with: ""))
        }
    }

    @Test func noFolderNamesATypeOfALaterOne() throws {
        var declared: [String: String] = [:]
        let declaration = /(?m)^(?:public |final |private |fileprivate )*(?:struct|enum|class|protocol|typealias)\s+(\w+)/
        for layer in Self.order + ["Synth"] {
            for (_, text) in try sources(layer) {
                for m in text.matches(of: declaration) where declared[String(m.1)] == nil { declared[String(m.1)] = layer }
            }
        }
        var found: [String] = []
        for (i, layer) in Self.order.enumerated() {
            let later = Set(Self.order[(i + 1)...]).union(["Synth"])
            for (file, text) in try sources(layer) {
                let words = Set(text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init))
                for (name, home) in declared where later.contains(home) && words.contains(name) {
                    found.append("\(layer)/\(file) names \(name) of \(home)")
                }
            }
        }
        #expect(found.sorted() == [])
    }
}
