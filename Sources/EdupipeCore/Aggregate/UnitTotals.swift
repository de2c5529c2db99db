/// The sums of one unit (county, prefecture, province or the nation) for
/// one period: numerators and denominators, never ratios.
public struct UnitTotals: Sendable, Equatable {
    /// Counties of the unit in the registry.
    public var counties = 0
    /// Counties with a file in force, per dataset.
    public var reporting = DatasetCounts()
    public var afterSchool = AfterSchoolTotals()
    public var dropoutRecords = 0
    public var dropoutOutstanding = 0
    /// Counties with a dropout list in force and no child still out.
    public var zeroCounties = 0
    /// Distinct children listed by two or more counties of the unit.
    public var crossCountyDuplicates = 0
    public var classSize = ClassSizeTotals()

    public init() {}

    public func hasData(_ d: Dataset) -> Bool { reporting[d] > 0 }

    /// Adds one county's files in force.
    mutating func add(county: CountyFiles) {
        counties += 1
        if let t = county.afterSchool {
            reporting[.afterSchool] += 1
            afterSchool.add(t)
        }
        if let t = county.dropout {
            reporting[.dropout] += 1
            dropoutRecords += t.records
            dropoutOutstanding += t.outstanding
            if t.outstanding == 0 { zeroCounties += 1 }
        }
        if let t = county.classSize {
            reporting[.classSize] += 1
            classSize.add(t)
        }
    }
}

/// The totals of the files in force of one county for one period.
public struct CountyFiles: Sendable {
    public var afterSchool: AfterSchoolTotals?
    public var dropout: DropoutTotals?
    public var classSize: ClassSizeTotals?

    public init() {}

    mutating func set(_ totals: DatasetTotals) {
        switch totals {
        case .afterSchool(let t): afterSchool = t
        case .dropout(let t): dropout = t
        case .classSize(let t): classSize = t
        }
    }
}

/// A count per dataset, in fields: the indicator tables read these for every
/// row, where a dictionary would hash the key each time.
public struct DatasetCounts: Sendable, Equatable {
    private var afterSchool = 0
    private var dropout = 0
    private var classSize = 0

    public init() {}

    public subscript(_ d: Dataset) -> Int {
        get {
            switch d {
            case .afterSchool: afterSchool
            case .dropout: dropout
            case .classSize: classSize
            }
        }
        set {
            switch d {
            case .afterSchool: afterSchool = newValue
            case .dropout: dropout = newValue
            case .classSize: classSize = newValue
            }
        }
    }
}
