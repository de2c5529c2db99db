/// The rules of one dataset applied to each record of one file, with the
/// file's running totals, key sets and content digest.
///
/// A value type held in a local variable by the CSV reader loop, so the
/// compiler checks exclusive access statically instead of on every record.
/// The three rule sets are plain stored values (only the file's dataset's is
/// used; their key tables allocate on first use), so each is mutated in
/// place: neither an optional's unwrap nor an enum payload copies them.
struct RecordRules {
    let dataset: Dataset
    var checker: RecordChecker
    private var afterSchool = AfterSchoolRules()
    private var dropout = DropoutRules()
    private var classSize = ClassSizeRules()
    private var digest: ContentDigest
    private(set) var records = 0

    init(dataset: Dataset, checker: RecordChecker, digest: Bool) {
        self.dataset = dataset
        self.checker = checker
        self.digest = ContentDigest(enabled: digest)
    }

    mutating func check(_ values: FieldValues, line: Int) {
        records += 1
        checker.begin(line: line)
        switch dataset {
        case .afterSchool: afterSchool.check(values, &checker, &digest)
        case .dropout: dropout.check(values, &checker, &digest)
        case .classSize: classSize.check(values, &checker, &digest)
        }
    }

    /// A record that could not be split into fields still counts as read.
    mutating func countUnreadable() { records += 1 }

    mutating func finish() -> (digest: [UInt8]?, totals: DatasetTotals) {
        let totals: DatasetTotals
        switch dataset {
        case .afterSchool: totals = .afterSchool(afterSchool.totals)
        case .dropout: totals = .dropout(dropout.totals)
        case .classSize: totals = .classSize(classSize.totals)
        }
        return (digest.finalize(), totals)
    }
}
