import EdupipeInput

/// The plan, read from `pipelines/*.yaml` and compiled: limits, datasets
/// (fields, rules, measures), indicators and their targets, periods,
/// names and messages. Nothing of the plan lives in code: a data office
/// adds a collection or moves a threshold by editing the file.
public struct CompiledPlan: Sendable {
    public var plan: String
    /// Decompressed bytes allowed per file (`E_TOO_LARGE` above).
    public var maxDecompressedBytes: Int
    /// A CSV record longer than this stops reading (`E_CSV_SYNTAX`).
    public var maxRecordBytes: Int
    /// Errors and warnings listed per file (all are counted).
    public var maxListedIssuesPerFile: Int
    /// The compiled datasets, in the plan's order.
    public let datasetPlans: [DatasetPlan]
    /// The plan's datasets, in its order.
    public let datasets: [Dataset]
    public let catalog: IndicatorCatalog
    /// Messages of the value types, shared by every dataset.
    public let messages: TypeMessages
    /// Period to reporting deadline (`YYYY-MM-DD`), where the plan sets one.
    public var deadlines: [String: String]
    /// Where the plan was read from (the files, the extended ones first).
    public var source: String
    /// The language of messages and summaries.
    public var language: Language = .en
    /// The checks across periods, peers and collections (section 8).
    public let quality: QualityPlan
    /// How `edupipe synth` draws an inbox for the plan.
    public let synth: SynthPlan

    init(plan: String, limits: (Int, Int, Int), datasets: [DatasetPlan], catalog: IndicatorCatalog,
         messages: TypeMessages, deadlines: [String: String], source: String, quality: QualityPlan = QualityPlan(),
         synth: SynthPlan = SynthPlan()) {
        self.quality = quality
        self.synth = synth
        self.plan = plan
        (maxDecompressedBytes, maxRecordBytes, maxListedIssuesPerFile) = limits
        datasetPlans = datasets
        self.datasets = datasets.map(\.dataset)
        self.catalog = catalog
        self.messages = messages
        self.deadlines = deadlines
        self.source = source
    }

    public func plan(of dataset: Dataset) -> DatasetPlan { datasetPlans[dataset.index] }

    /// The display name of an indicator: the plan's, or its standard name.
    public func name(of indicator: String) -> DisplayName {
        catalog.index(of: indicator).map { catalog.entries[$0].names } ?? DisplayName(zh: indicator, en: indicator)
    }

    public func name(of dataset: Dataset) -> DisplayName { datasetPlans[dataset.index].names }

    /// Catalog indices in the plan's display order.
    public var displayedEntries: [Int] { catalog.displayOrder }

    /// The first slot of each dataset's totals among all datasets' slots.
    public var slotBases: [Int] {
        var bases: [Int] = []
        var n = 0
        for d in datasetPlans {
            bases.append(n)
            n += d.slotCount
        }
        return bases
    }

    /// The plan at `path` (and those it extends), compiled.
    public static func load(path: String) throws(PlanError) -> CompiledPlan {
        try PlanCompiler.compile(try PlanChain.load(path: path))
    }

    /// A plan given as text, compiled; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws(PlanError) -> CompiledPlan {
        try PlanCompiler.compile(try PlanChain.parse(text, source: source))
    }
}

/// The messages of the value types (section 1.6), for every dataset: what
/// is said when a value is missing, not of its type, or out of its range.
///
/// A class: every file's record checker holds the plan's one copy (as a
/// struct of two dictionaries and a dozen templates, each file's copy cost
/// about forty reference counts, on memory both workers share).
public final class TypeMessages: Sendable {
    /// Missing, per type.
    let required: [FieldSpec.Kind: MessageTemplate]
    /// Not of its type, per type.
    let invalid: [FieldSpec.Kind: MessageTemplate]
    let range: MessageTemplate
    let countyMismatch: MessageTemplate
    let checksum: MessageTemplate
    let birthDate: MessageTemplate
    let tooLong: MessageTemplate
    let tooShort: MessageTemplate
    /// What spreadsheets do to values, recognised and named with the fix.
    let scientific: MessageTemplate
    let decimal: MessageTemplate
    let serialDate: MessageTemplate
    let fullWidth: MessageTemplate
    /// The file-level messages, by key (`file.no_header`...).
    let file: [String: MessageTemplate]

    init(required: [FieldSpec.Kind: MessageTemplate], invalid: [FieldSpec.Kind: MessageTemplate], range: MessageTemplate,
         countyMismatch: MessageTemplate, checksum: MessageTemplate, birthDate: MessageTemplate, tooLong: MessageTemplate,
         tooShort: MessageTemplate, scientific: MessageTemplate, decimal: MessageTemplate, serialDate: MessageTemplate,
         fullWidth: MessageTemplate, file: [String: MessageTemplate]) {
        self.required = required
        self.invalid = invalid
        self.range = range
        self.countyMismatch = countyMismatch
        self.checksum = checksum
        self.birthDate = birthDate
        self.tooLong = tooLong
        self.tooShort = tooShort
        self.scientific = scientific
        self.decimal = decimal
        self.serialDate = serialDate
        self.fullWidth = fullWidth
        self.file = file
    }

    /// A file-level message in `language`, its placeholders from `values`.
    func say(_ key: String, _ language: Language, _ values: [MessageTemplate.Special: String]) -> String {
        file[key]?.render(language, values) ?? key
    }

    static let fileKeys = ["file.no_header", "file.unknown_column", "file.repeated_column", "file.missing_column",
                           "file.field_count", "file.unterminated_quote", "file.text_after_quote", "file.bare_cr",
                           "file.record_too_long", "file.unknown_county", "file.out_of_scope", "file.gzip", "file.too_large", "file.encoding",
                           "file.unreadable", "file.xml_dtd", "file.xml_syntax", "file.xml_encoding", "file.xml_root",
                           "file.xml_attribute_twice", "file.xml_attribute_missing", "file.xml_attribute_differs",
                           "file.field_twice", "file.field_markup", "file.unknown_element"]
        + SubmissionName.Diagnosis.allCases.map { "file.name_\($0.rawValue)" }

    /// The keys of the plan's `messages:` section.
    static let keys: [String] = FieldSpec.Kind.allCases.map { "required.\($0.word)" }
        + FieldSpec.Kind.allCases.map { "invalid.\($0.word)" }
        + ["range", "county_mismatch", "checksum", "birth_date", "too_long", "too_short",
           "spreadsheet.scientific", "spreadsheet.decimal", "spreadsheet.serial_date", "spreadsheet.full_width"]
        + fileKeys
}
