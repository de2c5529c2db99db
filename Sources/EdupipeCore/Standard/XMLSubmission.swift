/// Reads the XML form of a submission (section 1.5) into the dataset rules:
/// the root's metadata against the file name, then each `<record>`.
final class XMLSubmission: XMLSubmissionDelegate {
    private(set) var rules: RecordRules
    let name: SubmissionName

    init(rules: RecordRules, name: SubmissionName) {
        self.rules = rules
        self.name = name
    }

    func read(file: FileSource, limit: Int) {
        let reader = XMLSubmissionReader(fieldNames: rules.plan.fields.map(\.name), delegate: self)
        do {
            try reader.read(ContentSource.open(file, limit: limit))
        } catch {
            rules.checker.log.setFatal(error)
            return
        }
        switch reader.stop {
        case .dtd(let line):
            rules.checker.log.setFatal(Issue(.xmlDTD, line: line,
                "the document declares a DOCTYPE: submissions must not carry a DTD or entity declarations; remove the <!DOCTYPE ...> part"))
        case .syntax(let line, let column, let message):
            rules.checker.log.setFatal(Issue(.xmlSyntax, line: line,
                "the XML is not well-formed at line \(line), character \(column): \(message)"))
        case .encoding(let line, let message):
            rules.checker.log.setFatal(Issue(.encoding, line: line,
                "the text does not match the encoding the XML declaration names (UTF-8 when it names none; GB18030, GBK and GB2312 also work): \(message)"))
        case nil:
            break
        }
    }

    func xmlRoot(name root: String, attributes: [(name: String, value: String)], line: Int) {
        guard root == "submission" else {
            rules.checker.log.add(Issue(.metadata, line: line,
                "the root element is <\(root)>: a submission document's root is <submission dataset=\"\(name.dataset.rawValue)\" county=\"\(name.county)\" period=\"\(name.period)\">"))
            return
        }
        for (attribute, expected) in [("dataset", name.dataset.rawValue), ("county", name.county), ("period", name.period)] {
            let given = attributes.filter { $0.name == attribute }
            if given.count > 1 {
                rules.checker.log.add(Issue(.metadata, line: line, column: attribute,
                    "<submission> gives \(attribute) \(given.count) times (with different namespace prefixes): give it once, as \(attribute)=\"\(expected)\""))
                continue
            }
            guard let value = given.first?.value.trimmingSpacesAndNewlines, !value.isEmpty else {
                rules.checker.log.add(Issue(.metadata, line: line, column: attribute,
                    "<submission> has no \(attribute) attribute: write \(attribute)=\"\(expected)\", as in the file name"))
                continue
            }
            if value != expected {
                rules.checker.log.add(Issue(.metadata, line: line, column: attribute,
                    "<submission> says \(attribute)=\"\(value)\" but the file name says \(expected): they must agree"))
            }
        }
    }

    func xmlRecord(_ values: FieldValues, line: Int) {
        rules.check(values, line: line)
    }

    func xmlFieldTwice(_ field: String, line: Int) {
        rules.checker.log.add(Issue(.type, line: line, column: field,
            "\(field) is given more than once in this record (as attributes, elements, or both, with or without a namespace prefix): give each field once"))
    }

    func xmlUnknown(_ what: String, line: Int) {
        rules.checker.log.add(Issue(.unknownElement, line: line,
            "\(what) is not part of the \(rules.dataset.rawValue) dataset and is ignored"))
    }
}
