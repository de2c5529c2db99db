import EdupipeSupport
import EdupipeInput

/// Reads the CSV form of a submission (section 1.4) into the dataset rules:
/// header to schema mapping, field counts, then each record.
struct CSVSubmission {
    let maxRecordBytes: Int

    enum Outcome: Equatable {
        /// Read to the end.
        case complete
        /// Stopped by a stream or syntax error after the header.
        case stopped
        /// The header is missing or wrong; records were not read.
        case badHeader
        /// Not UTF-8: read again as GB18030.
        case notUTF8
    }

    func read(file: FileSource, encoding: TextSource.Encoding, limit: Int, into rules: inout RecordRules) -> Outcome {
        let schema = rules.plan
        let reader: CSVReader
        let content: ByteSource
        do {
            content = try ContentSource.open(file, limit: limit)
            let text = try TextSource(input: content, encoding: encoding)
            reader = CSVReader(source: text, maxRecordBytes: maxRecordBytes)
        } catch {
            rules.checker.log.setFatal(error, rules.checker.messages, rules.checker.language)
            return .stopped
        }
        defer { rules.contentBytes = (content as? ContentCounting)?.contentBytes ?? 0 }
        var headerRead = false
        // Column position to schema field, -1 for an unknown column.
        var mapping: [Int] = []
        // The shown names of unknown columns; a known column is shown by its
        // field's name, prepared only when a message needs it.
        var unknownColumns: [Int: String] = [:]
        do {
            guard try reader.next() else {
                rules.checker.log.add(Issue(.header, line: 1, say(rules, "file.no_header", [.columns: schema.fields.map(\.name).joined(separator: ",")])))
                return .badHeader
            }
            headerRead = true
            var seen = Array(repeating: false, count: schema.fields.count)
            // Unknown column names seen so far: a repeated name is E_HEADER
            // whether or not the column is known (section 6).
            var unknownNames = Set<[UInt8]>()
            var headerOK = true
            for i in 0..<reader.fieldCount {
                let raw = Bytes.trim(reader.field(i))
                guard let index = schema.index(of: raw) else {
                    // A header cell can be anything (a record, when the
                    // header row is missing): at most 40 characters of it
                    // are shown.
                    let columnName = ShownText.prepare(Bytes.string(raw))
                    unknownColumns[i] = columnName
                    mapping.append(-1)
                    if !unknownNames.insert(Array(raw)).inserted {
                        headerOK = false
                        rules.checker.log.add(Issue(.header, line: reader.recordLine, column: columnName,
                            say(rules, "file.repeated_column", [.column: columnName])))
                        continue
                    }
                    rules.checker.log.add(Issue(.unknownColumn, line: reader.recordLine, column: columnName,
                        say(rules, "file.unknown_column", [.column: columnName, .dataset: rules.dataset.rawValue])))
                    continue
                }
                if seen[index] {
                    let columnName = ShownText.prepare(schema.fields[index].name)
                    headerOK = false
                    rules.checker.log.add(Issue(.header, line: reader.recordLine, column: columnName,
                        say(rules, "file.repeated_column", [.column: columnName])))
                }
                seen[index] = true
                mapping.append(index)
            }
            for (index, field) in schema.fields.enumerated() where field.required && !seen[index] {
                headerOK = false
                rules.checker.log.add(Issue(.header, line: reader.recordLine, column: field.name,
                    say(rules, "file.missing_column", [.column: field.name, .dataset: rules.dataset.rawValue,
                                                      .columns: schema.requiredNames.joined(separator: ",")])))
            }
            guard headerOK else {
                // The records are not checked, but an encoding or syntax
                // error anywhere in the file comes before the header's
                // (section 6): read on to the end to find one.
                while try reader.next() {}
                return .badHeader
            }

            let values = FieldValues(count: schema.fields.count)
            defer { values.deallocate() }
            let width = mapping.count
            // Only the columns the schema knows, as (column, field) pairs.
            let known = mapping.enumerated().filter { $0.element >= 0 }.map { (column: $0.offset, field: $0.element) }
            // Every column a field, in the schema's order (nearly every
            // file): the rules read the reader's fields where they are.
            let inPlace = mapping == Array(0..<schema.fields.count)
            while try reader.next() {
                guard reader.fieldCount == width else {
                    rules.countUnreadable()
                    rules.checker.log.add(Issue(.fieldCount, line: reader.recordLine,
                        say(rules, "file.field_count", [.count: String(reader.fieldCount), .width: String(width)])))
                    continue
                }
                if inPlace {
                    rules.check(reader.trimmedValues(), line: reader.recordLine)
                    continue
                }
                for pair in known {
                    values[pair.field] = reader.field(pair.column)
                }
                rules.check(values, line: reader.recordLine)
            }
            return .complete
        } catch {
            switch error {
            case .input(.notUTF8):
                return .notUTF8
            case .input(let inputError):
                rules.checker.log.setFatal(inputError, rules.checker.messages, rules.checker.language)
            case .unterminatedQuote(let line, let field):
                rules.checker.log.setFatal(Issue(.csvSyntax, line: line, column: column(field, mapping, unknownColumns, schema, headerRead),
                    say(rules, "file.unterminated_quote", [.line: String(line)])))
            case .textAfterQuote(let line, let field):
                rules.checker.log.setFatal(Issue(.csvSyntax, line: line, column: column(field, mapping, unknownColumns, schema, headerRead),
                    say(rules, "file.text_after_quote", [.line: String(line)])))
            case .bareCarriageReturn(let line, let field):
                rules.checker.log.setFatal(Issue(.csvSyntax, line: line, column: column(field, mapping, unknownColumns, schema, headerRead),
                    say(rules, "file.bare_cr", [.line: String(line)])))
            case .recordTooLong(let line, let limit):
                rules.checker.log.setFatal(Issue(.csvSyntax, line: line, say(rules, "file.record_too_long", [.line: String(line), .limit: String(limit)])))
            }
            return headerRead ? .stopped : .badHeader
        }
    }

    /// A file-level message of the plan, in the run's language.
    private func say(_ rules: RecordRules, _ key: String, _ values: [MessageTemplate.Special: String]) -> String {
        rules.checker.messages.say(key, rules.checker.language, values)
    }

    /// The shown name of the column at position `field`, if the header was read.
    private func column(_ field: Int, _ mapping: [Int], _ unknown: [Int: String], _ schema: DatasetPlan,
                        _ headerRead: Bool) -> String? {
        guard headerRead && field < mapping.count else { return nil }
        let index = mapping[field]
        return index >= 0 ? ShownText.prepare(schema.fields[index].name) : unknown[field]
    }
}
