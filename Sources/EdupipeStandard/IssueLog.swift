/// The issues of one file, in the order the standard asks for `first_error`:
/// name and registry checks, then the one fatal stream error (decompression,
/// size, encoding, syntax, header, DTD), then what was found reading the
/// header and records in file order, then the checks made after the last
/// record (`E_EMPTY`, `E_REVISION_CONFLICT`).
///
/// Counts are exact; the list keeps at most `listLimit` content issues so that
/// a file whose every row is wrong cannot exhaust memory. What was not listed
/// is announced by one `W_ERRORS_NOT_LISTED` line (not counted as a warning).
public struct IssueLog: Sendable {
    public private(set) var preamble: [Issue] = []
    public private(set) var fatal: Issue?
    public private(set) var body: [Issue] = []
    public private(set) var trailer: [Issue] = []
    public let listLimit: Int

    private var headCounts = Counts()
    private var contentCounts = Counts()
    private var notListed = 0
    private var firstContentError: IssueCode?

    private struct Counts: Sendable {
        var errors = 0
        var warnings = 0
        mutating func count(_ issue: Issue) {
            if issue.isWarning { warnings += 1 } else { errors += 1 }
        }
    }

    public init(listLimit: Int = 10_000) {
        self.listLimit = max(1, listLimit)
    }

    public var errorCount: Int { headCounts.errors + contentCounts.errors }
    public var warningCount: Int { headCounts.warnings + contentCounts.warnings }
    public var hasErrors: Bool { errorCount > 0 }

    /// An issue known before the content is read (file name, registry).
    public mutating func addPreamble(_ issue: Issue) {
        headCounts.count(issue)
        preamble.append(issue)
    }

    /// The error that stopped reading the content. A file has at most one;
    /// a second one is ignored.
    public mutating func setFatal(_ issue: Issue) {
        guard fatal == nil else { return }
        contentCounts.count(issue)
        fatal = issue
    }

    public var hasFatal: Bool { fatal != nil }

    /// An issue found reading the header or the records, in file order.
    public mutating func add(_ issue: Issue) {
        contentCounts.count(issue)
        if !issue.isWarning, firstContentError == nil { firstContentError = issue.code }
        if body.count < listLimit {
            body.append(issue)
        } else {
            notListed += 1
        }
    }

    /// An issue found after the whole content was read.
    public mutating func addTrailer(_ issue: Issue) {
        headCounts.count(issue)
        trailer.append(issue)
    }

    /// Forgets everything found in the content, keeping the preamble: used
    /// when a file is read again with another text encoding.
    public mutating func resetContent() {
        fatal = nil
        body = []
        contentCounts = Counts()
        notListed = 0
        firstContentError = nil
    }

    /// Every listed issue in order, with the not-listed notice after the body.
    public var all: [Issue] {
        var result = preamble
        if let fatal { result.append(fatal) }
        result += body
        if notListed > 0 {
            result.append(Issue(.errorsNotListed,
                                "\(notListed) further errors and warnings of this file are counted but not listed (the list stops at \(listLimit) per file)"))
        }
        result += trailer
        return result
    }

    /// The code of the first error in the standard's order, if any.
    public var firstError: IssueCode? {
        if let issue = preamble.first(where: { !$0.isWarning }) { return issue.code }
        if let fatal { return fatal.code }
        if let firstContentError { return firstContentError }
        return trailer.first(where: { !$0.isWarning })?.code
    }
}
