import EdupipeInput

/// Reads the XML form of a submission (section 1.5) into the dataset rules:
/// the root's metadata against the file name, then each `<record>`.
final class XMLSubmission: XMLSubmissionDelegate {
    private(set) var rules: RecordRules
    let name: SubmissionName

    init(rules: RecordRules, name: SubmissionName) {
        self.rules = rules
        self.name = name
    }

    /// Reads the document through `FlatXMLReader`: false when it declined,
    /// and the file must be read again, with a fresh submission, by `read`.
    func readFlat(file: FileSource, limit: Int) -> Bool {
        guard let content = try? ContentSource.open(file, limit: limit) else { return false }
        defer { rules.contentBytes = (content as? ContentCounting)?.contentBytes ?? 0 }
        return FlatXMLReader(fieldNames: rules.plan.fields.map(\.name), delegate: self).read(content) == .read
    }

    /// Reads the document through libxml2 (`XMLSubmissionReader`), which
    /// reads every document and reports every error.
    func read(file: FileSource, limit: Int) {
        let reader = XMLSubmissionReader(fieldNames: rules.plan.fields.map(\.name), delegate: self)
        var content: ByteSource?
        defer { rules.contentBytes = (content as? ContentCounting)?.contentBytes ?? 0 }
        do {
            content = try ContentSource.open(file, limit: limit)
            if let content { try reader.read(content) }
        } catch {
            rules.checker.log.setFatal(error, rules.checker.messages, rules.checker.language)
            return
        }
        switch reader.stop {
        case .dtd(let line):
            rules.checker.log.setFatal(Issue(.xmlDTD, line: line, say("file.xml_dtd", [:])))
        case .syntax(let line, let column, let message):
            rules.checker.log.setFatal(Issue(.xmlSyntax, line: line,
                say("file.xml_syntax", [.line: String(line), .column: String(column), .why: message])))
        case .encoding(let line, let message):
            rules.checker.log.setFatal(Issue(.encoding, line: line, say("file.xml_encoding", [.why: message])))
        case nil:
            break
        }
    }

    /// A file-level message of the plan, in the run's language.
    private func say(_ key: String, _ values: [MessageTemplate.Special: String]) -> String {
        rules.checker.messages.say(key, rules.checker.language, values)
    }

    func xmlRoot(name root: String, attributes: [(name: String, value: String)], line: Int) {
        let names: [MessageTemplate.Special: String] = [.dataset: name.dataset.rawValue, .county: name.county, .expected: name.period]
        guard root == "submission" else {
            rules.checker.log.add(Issue(.metadata, line: line, say("file.xml_root", names.merging([.given: root]) { $1 })))
            return
        }
        for (attribute, expected) in [("dataset", name.dataset.rawValue), ("county", name.county), ("period", name.period)] {
            let given = attributes.filter { $0.name == attribute }
            if given.count > 1 {
                rules.checker.log.add(Issue(.metadata, line: line, column: attribute,
                    say("file.xml_attribute_twice", [.column: attribute, .count: String(given.count), .expected: expected])))
                continue
            }
            guard let value = given.first?.value.trimmingSpacesAndNewlines, !value.isEmpty else {
                rules.checker.log.add(Issue(.metadata, line: line, column: attribute,
                    say("file.xml_attribute_missing", [.column: attribute, .expected: expected])))
                continue
            }
            if value != expected {
                rules.checker.log.add(Issue(.metadata, line: line, column: attribute,
                    say("file.xml_attribute_differs", [.column: attribute, .given: value, .expected: expected])))
            }
        }
    }

    func xmlRecord(_ values: FieldValues, line: Int, twice: UInt64, markup: UInt64) {
        rules.check(values, line: line, twice: twice, markup: markup)
    }

    func xmlUnknown(_ what: String, line: Int) {
        rules.checker.log.add(Issue(.unknownElement, line: line, say("file.unknown_element", [.given: what, .dataset: rules.dataset.rawValue])))
    }
}
