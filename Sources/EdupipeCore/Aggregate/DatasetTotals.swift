/// What one accepted `after_school` file contributes to the indicators.
public struct AfterSchoolTotals: Sendable, Equatable {
    public var schools = 0
    public var offering = 0
    public var participants = 0
    public var enrolled = 0
    /// Offering schools meeting "5+2": 5 days a week, 120 minutes a day.
    public var fiveTwo = 0
    /// Offering schools whose funding is secured.
    public var funded = 0

    public init() {}

    public mutating func add(_ o: AfterSchoolTotals) {
        schools += o.schools
        offering += o.offering
        participants += o.participants
        enrolled += o.enrolled
        fiveTwo += o.fiveTwo
        funded += o.funded
    }
}

/// What one accepted `dropout` file contributes.
public struct DropoutTotals: Sendable, Equatable {
    public var records = 0
    /// Children still out of school (status `out`).
    public var outstanding = 0
    /// The children's IDs in numeric form, for cross-county matching through
    /// a keyed hash; never written anywhere.
    public var students: [UInt64] = []

    public init() {}
}

/// Class counts of one stage (or of all stages).
public struct ClassStageTotals: Sendable, Equatable {
    public var classes = 0
    public var students = 0
    /// 56..65 students.
    public var large = 0
    /// 66 or more.
    public var superLarge = 0
    /// Above the standard size of the class's stage.
    public var overStandard = 0

    public init() {}

    public mutating func add(_ o: ClassStageTotals) {
        classes += o.classes
        students += o.students
        large += o.large
        superLarge += o.superLarge
        overStandard += o.overStandard
    }
}

/// What one accepted `class_size` file contributes, per school stage.
public struct ClassSizeTotals: Sendable, Equatable {
    public var primary = ClassStageTotals()
    public var junior = ClassStageTotals()
    public var senior = ClassStageTotals()

    public init() {}

    public var all: ClassStageTotals {
        var t = primary
        t.add(junior)
        t.add(senior)
        return t
    }

    public mutating func add(_ o: ClassSizeTotals) {
        primary.add(o.primary)
        junior.add(o.junior)
        senior.add(o.senior)
    }
}

/// The totals of one file, by dataset.
public enum DatasetTotals: Sendable, Equatable {
    case afterSchool(AfterSchoolTotals)
    case dropout(DropoutTotals)
    case classSize(ClassSizeTotals)
}
