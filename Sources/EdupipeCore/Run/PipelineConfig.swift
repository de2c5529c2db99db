import Yams

/// The plan configuration read from `pipelines/*.yaml`: limits, datasets,
/// targets and per-period settings. Nothing of the plan lives in code.
public struct PipelineConfig: Sendable {
    public var plan: String
    /// Decompressed bytes allowed per file (`E_TOO_LARGE` above).
    public var maxDecompressedBytes: Int
    /// A CSV record longer than this stops reading (`E_CSV_SYNTAX`).
    public var maxRecordBytes: Int
    /// Errors and warnings listed per file (all are counted).
    public var maxListedIssuesPerFile: Int
    public var datasets: [Dataset]
    /// Indicator name to target; an indicator absent here has no target.
    public var targets: [String: Target]
    /// Period to reporting deadline (`YYYY-MM-DD`), where the plan sets one.
    public var deadlines: [String: String]
    /// Where the configuration was read from.
    public var source: String
    /// What people read for each dataset and indicator in the workbook and
    /// the report; indicators are shown in `indicatorOrder`.
    public var datasetNames: [Dataset: DisplayName] = [:]
    public var indicatorNames: [String: DisplayName] = [:]
    public var indicatorOrder: [String] = []

    /// A name in Chinese and in English.
    public struct DisplayName: Sendable, Equatable {
        public let zh: String
        public let en: String
        public init(zh: String, en: String) {
            self.zh = zh
            self.en = en
        }

        /// Both on one line: `课后服务 After-school service`.
        public var both: String { zh + " " + en }
    }

    /// The display name of an indicator: the plan's, or its standard name.
    public func name(of indicator: String) -> DisplayName {
        indicatorNames[indicator] ?? DisplayName(zh: indicator, en: indicator)
    }

    public func name(of dataset: Dataset) -> DisplayName {
        datasetNames[dataset] ?? DisplayName(zh: dataset.rawValue, en: dataset.rawValue)
    }

    /// Catalog indices in display order: the plan's order, then the rest.
    public var displayedEntries: [Int] {
        let listed = indicatorOrder.compactMap(IndicatorCatalog.index(of:))
        return listed + IndicatorCatalog.entries.indices.filter { !listed.contains($0) }
    }

    public struct ConfigError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func load(path: String) throws -> PipelineConfig {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, limit: 4 << 20)
        } catch {
            throw ConfigError(description: "\(path): cannot read the pipeline configuration: \(error)")
        }
        return try parse(String(decoding: bytes, as: UTF8.self), source: path)
    }

    public static func parse(_ text: String, source: String) throws -> PipelineConfig {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(description: "\(source): the pipeline configuration is empty")
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(description: "\(source): not valid YAML: \(error)")
        }
        let r = Reader(source: source)
        let top = try r.mapping(root, "the top level")
        try r.onlyKeys(top, ["plan", "limits", "datasets", "targets", "periods", "dataset_names", "indicators"], in: "the top level")

        var config = PipelineConfig(plan: "", maxDecompressedBytes: 1 << 30, maxRecordBytes: 1 << 20,
                                    maxListedIssuesPerFile: 10_000, datasets: Dataset.allCases,
                                    targets: [:], deadlines: [:], source: source)
        config.plan = try r.string(try r.required(top, "plan"), "plan")

        if let limits = top["limits"] {
            let m = try r.mapping(limits, "limits")
            try r.onlyKeys(m, ["max_decompressed_bytes", "max_record_bytes", "max_listed_issues_per_file"], in: "limits")
            // Bounds keep the readers' arithmetic in range: a record's field
            // offsets are 32-bit, and the size count adds one past the limit.
            if let v = m["max_decompressed_bytes"] { config.maxDecompressedBytes = try r.positiveInt(v, "limits.max_decompressed_bytes", atMost: 1 << 50) }
            if let v = m["max_record_bytes"] { config.maxRecordBytes = try r.positiveInt(v, "limits.max_record_bytes", atMost: 1 << 30) }
            if let v = m["max_listed_issues_per_file"] { config.maxListedIssuesPerFile = try r.positiveInt(v, "limits.max_listed_issues_per_file", atMost: 10_000_000) }
        }

        if let datasets = top["datasets"] {
            guard case .sequence(let seq) = datasets else { throw r.error(datasets, "datasets", "expected a list of dataset names") }
            config.datasets = try seq.map { node in
                let s = try r.string(node, "datasets")
                guard let d = Dataset(rawValue: s) else {
                    throw r.error(node, "datasets", "unknown dataset \(s); the standard has after_school, dropout and class_size")
                }
                return d
            }
        }

        if let targets = top["targets"] {
            let m = try r.mapping(targets, "targets")
            for (keyNode, value) in m {
                let key = try r.string(keyNode, "targets")
                guard IndicatorCatalog.names.contains(key) else {
                    throw r.error(keyNode, "targets.\(key)", "unknown indicator; indicators are named as in section 4 of the standard, e.g. class_size.large_share.primary")
                }
                if case .scalar(let s) = value, s.string == "~" || s.string == "null" || s.string.isEmpty { continue }
                let text = try r.string(value, "targets.\(key)")
                guard let target = Target.parse(text) else {
                    throw r.error(value, "targets.\(key)", "expected a target such as \">=1\" or \"<=0.05\", or null for none; found \(text)")
                }
                config.targets[key] = target
            }
        }

        if let periods = top["periods"] {
            let m = try r.mapping(periods, "periods")
            for (keyNode, value) in m {
                let period = try r.string(keyNode, "periods")
                guard SubmissionName.isPeriod(period) else {
                    throw r.error(keyNode, "periods.\(period)", "a period is YYYY-spring or YYYY-autumn")
                }
                let p = try r.mapping(value, "periods.\(period)")
                try r.onlyKeys(p, ["deadline"], in: "periods.\(period)")
                if let d = p["deadline"] {
                    let text = try r.string(d, "periods.\(period).deadline")
                    let parsed = Array(text.utf8).withUnsafeBytes { ValueParsers.date($0) }
                    guard parsed != nil, !text.contains("/") else {
                        throw r.error(d, "periods.\(period).deadline", "expected a date YYYY-MM-DD, found \(text)")
                    }
                    config.deadlines[period] = text
                }
            }
        }
        if let names = top["dataset_names"] {
            for (keyNode, value) in try r.mapping(names, "dataset_names") {
                let key = try r.string(keyNode, "dataset_names")
                guard let d = Dataset(rawValue: key) else {
                    throw r.error(keyNode, "dataset_names.\(key)", "unknown dataset; the standard has after_school, dropout and class_size")
                }
                config.datasetNames[d] = try r.displayName(value, "dataset_names.\(key)")
            }
        }

        if let names = top["indicators"] {
            for (keyNode, value) in try r.mapping(names, "indicators") {
                let key = try r.string(keyNode, "indicators")
                guard IndicatorCatalog.names.contains(key) else {
                    throw r.error(keyNode, "indicators.\(key)", "unknown indicator; indicators are named as in section 4 of the standard, e.g. class_size.large_share.primary")
                }
                config.indicatorNames[key] = try r.displayName(value, "indicators.\(key)")
                config.indicatorOrder.append(key)
            }
        }
        return config
    }

    /// Walks YAML nodes and makes errors that name the file, key and line.
    private struct Reader {
        let source: String

        func error(_ node: Node, _ key: String, _ what: String) -> ConfigError {
            let line = node.mark.map { " (line \($0.line))" } ?? ""
            return ConfigError(description: "\(source): \(key)\(line): \(what)")
        }

        func mapping(_ node: Node, _ key: String) throws -> Node.Mapping {
            guard case .mapping(let m) = node else { throw error(node, key, "expected a mapping of keys to values") }
            return m
        }

        func required(_ m: Node.Mapping, _ key: String) throws -> Node {
            guard let v = m[key] else { throw ConfigError(description: "\(source): \(key): missing; the configuration needs it") }
            return v
        }

        func string(_ node: Node, _ key: String) throws -> String {
            guard case .scalar(let s) = node else { throw error(node, key, "expected a single value") }
            return s.string
        }

        func positiveInt(_ node: Node, _ key: String, atMost limit: Int = .max) throws -> Int {
            let s = try string(node, key)
            guard let n = Int(s.replacingUnderscores), n > 0 else {
                throw error(node, key, "expected a positive whole number (bytes or a count), found \(s)")
            }
            guard n <= limit else { throw error(node, key, "\(n) is more than the most allowed, \(limit)") }
            return n
        }

        /// `{zh: ..., en: ...}`.
        func displayName(_ node: Node, _ key: String) throws -> DisplayName {
            let m = try mapping(node, key)
            try onlyKeys(m, ["zh", "en"], in: key)
            return DisplayName(zh: try string(try required("\(key).zh", in: m["zh"]), "\(key).zh"),
                               en: try string(try required("\(key).en", in: m["en"]), "\(key).en"))
        }

        func required(_ key: String, in node: Node?) throws -> Node {
            guard let node else { throw ConfigError(description: "\(source): \(key): missing; the configuration needs it") }
            return node
        }

        func onlyKeys(_ m: Node.Mapping, _ allowed: [String], in place: String) throws {
            for key in m.keys {
                let name = try string(key, place)
                guard allowed.contains(name) else {
                    throw error(key, place == "the top level" ? name : "\(place).\(name)",
                                "unknown key; \(place) takes \(allowed.joined(separator: ", "))")
                }
            }
        }
    }
}

extension String {
    fileprivate var replacingUnderscores: String { filter { $0 != "_" } }
}
