import EdupipeSupport
import EdupipeInput

/// The registry of divisions (GB/T 2260 codes): provinces, prefectures and
/// the county-level units that report, with each county's parent.
///
/// A county's parent is its prefecture, or its province when it sits
/// directly under one (429004 仙桃市): such a county counts towards no
/// prefecture.
public struct Registry: Sendable {
    public enum Level: String, Sendable, Comparable {
        case national, province, prefecture, county
        var order: Int {
            switch self {
            case .national: 0
            case .province: 1
            case .prefecture: 2
            case .county: 3
            }
        }
        public static func < (a: Level, b: Level) -> Bool { a.order < b.order }
    }

    public struct Unit: Sendable, Equatable {
        public let code: String
        public let name: String
        public let level: Level
        public let parent: String?
    }

    /// Every unit by code.
    public let units: [String: Unit]
    /// Codes by level, sorted.
    public let provinces: [String]
    public let prefectures: [String]
    public let counties: [String]
    /// Each unit's province and prefecture, worked out once: the tables ask
    /// for them per county and per row, and walking up the parents costs a
    /// lookup a step.
    private let ancestors: [String: (province: String?, prefecture: String?)]
    /// The unit a scoped run covers (`--scope`): the lists above hold only it
    /// and the units under it, while `units` and the ancestors keep the whole
    /// registry, for names, province targets and the message that a county
    /// lies outside. nil: the nation.
    public private(set) var scope: String?

    init(units: [String: Unit], provinces: [String], prefectures: [String], counties: [String]) {
        self.units = units
        self.provinces = provinces
        self.prefectures = prefectures
        self.counties = counties
        var ancestors: [String: (province: String?, prefecture: String?)] = [:]
        ancestors.reserveCapacity(units.count)
        for unit in units.values {
            var province: String?
            var code = unit.code
            // A malformed registry could loop; no chain is longer than its units.
            for _ in 0...units.count {
                guard let u = units[code] else { break }
                if u.level == .province { province = code; break }
                guard let parent = u.parent else { break }
                code = parent
            }
            let prefecture = unit.parent.flatMap { units[$0]?.level == .prefecture ? $0 : nil }
            ancestors[unit.code] = (province, prefecture)
        }
        self.ancestors = ancestors
    }

    public func isCounty(_ code: String) -> Bool { units[code]?.level == .county }

    /// The code of the whole country, which an account or a scope may name.
    public static let nationalCode = "000000"

    /// Whether `county` lies under `unit` (a county itself, its prefecture,
    /// its province, or `000000`, the nation).
    public func covers(_ unit: String, county: String) -> Bool {
        guard isCounty(county) else { return false }
        if unit == Self.nationalCode || unit == county { return true }
        return province(of: county) == unit || prefecture(of: county) == unit
    }

    /// The registry of a scoped run: `unit` (a province or a prefecture,
    /// 2 or 4 leading digits allowed: `42`, `4201`) and the units under it.
    /// `000000` is the nation, the registry as it is.
    /// `allowCounty`: a county may be the unit too (what a county's account
    /// of `edupipe serve` sees).
    public func scoped(to unit: String, allowCounty: Bool = false) throws -> Registry {
        let code = unit.count < 6 && unit.allSatisfy(\.isASCII) && Int(unit) != nil ? unit + String(repeating: "0", count: 6 - unit.count) : unit
        if code == Self.nationalCode { return self }
        guard let u = units[code] else {
            throw EdupipeError(.invalidArgument, "--scope \(unit) is not a unit of the registry (a province such as 42 or 420000, or a prefecture such as 420100)")
        }
        guard u.level == .province || u.level == .prefecture || allowCounty else {
            throw EdupipeError(.invalidArgument, "--scope \(unit) is \(u.name), a county: a scope is a province or a prefecture")
        }
        var scoped = Registry(units: units, provinces: provinces.filter { $0 == code },
                              prefectures: prefectures.filter { $0 == code || (u.level == .province && units[$0]?.parent == code) },
                              counties: counties.filter { covers(code, county: $0) })
        scoped.scope = code
        return scoped
    }

    /// The province a county belongs to.
    public func province(of county: String) -> String? { ancestors[county]?.province ?? nil }

    /// The names of a county's province and prefecture; empty where it has
    /// none (a county directly under its province has no prefecture).
    public func provinceName(of county: String) -> String { province(of: county).flatMap { units[$0]?.name } ?? "" }
    public func prefectureName(of county: String) -> String { prefecture(of: county).flatMap { units[$0]?.name } ?? "" }

    /// The prefecture a county belongs to, nil when it sits under a province.
    public func prefecture(of county: String) -> String? { ancestors[county]?.prefecture ?? nil }

    /// Reads `code,name,level,parent_code` (UTF-8, header first).
    public static func load(path: String) throws -> Registry {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path, limit: 64 << 20)
        } catch {
            throw EdupipeError(.io, "cannot read the registry \(path): \(error)", cause: error)
        }
        return try parse(bytes, source: path)
    }

    /// Every unit is checked: one code per row, a province under nothing, a
    /// prefecture under a province, a county under a prefecture or a
    /// province. A registry that is not UTF-8, repeats a code, has no rows or
    /// breaks the hierarchy is refused with its line: tables built on it
    /// would be wrong without a word.
    public static func parse(_ bytes: [UInt8], source: String) throws -> Registry {
        var validator = UTF8Validator()
        let valid = validator.validate(bytes[...]) && validator.atBoundary
        if !valid {
            let at = min(validator.failedAt, bytes.count)
            let line = 1 + bytes[..<at].count { $0 == 0x0A }
            throw EdupipeError(.invalidFile, "\(source) line \(line): the registry is not UTF-8 (perhaps saved as GB18030 by a spreadsheet): save it as UTF-8")
        }
        let reader = CSVReader(source: MemorySource(bytes))
        var units: [String: Unit] = [:]
        // Codes with their lines, in file order: the checks below name the
        // first broken row without a lookup per unit.
        var rows: [(code: String, line: Int)] = []
        var header: [String: Int] = [:]
        do {
            guard try reader.next() else { throw EdupipeError(.invalidFile, "the registry \(source) is empty") }
            for i in 0..<reader.fieldCount { header[Bytes.string(Bytes.trim(reader.field(i)))] = i }
            guard let c = header["code"], let n = header["name"], let l = header["level"], let p = header["parent_code"] else {
                throw EdupipeError(.invalidFile, "the registry \(source) needs the columns code,name,level,parent_code")
            }
            while try reader.next() {
                guard reader.fieldCount == header.count else {
                    throw EdupipeError(.invalidFile, "\(source) line \(reader.recordLine): \(reader.fieldCount) fields, the header has \(header.count)")
                }
                let code = Bytes.string(Bytes.trim(reader.field(c)))
                guard code.utf8.count == 6, Int(code) != nil else {
                    throw EdupipeError(.invalidFile, "\(source) line \(reader.recordLine): code \(code) is not 6 digits")
                }
                guard let level = Level(rawValue: Bytes.string(Bytes.trim(reader.field(l)))), level != .national else {
                    throw EdupipeError(.invalidFile, "\(source) line \(reader.recordLine): level must be province, prefecture or county")
                }
                let parent = Bytes.string(Bytes.trim(reader.field(p)))
                let unit = Unit(code: code, name: Bytes.string(Bytes.trim(reader.field(n))), level: level,
                                parent: parent.isEmpty ? nil : parent)
                if units.updateValue(unit, forKey: code) != nil {
                    let first = rows.first { $0.code == code }?.line ?? 0
                    throw EdupipeError(.invalidFile, "\(source) line \(reader.recordLine): code \(code) is listed again (first on line \(first)): each unit has one row")
                }
                rows.append((code, reader.recordLine))
            }
        } catch let error as CSVReadError {
            throw EdupipeError(.invalidFile, "the registry \(source) is not valid CSV: \(error)", cause: error)
        }
        guard !units.isEmpty else {
            throw EdupipeError(.invalidFile, "the registry \(source) has a header but no units: it lists every province, prefecture and county")
        }
        // In file order, so the first broken row is the one named.
        for row in rows {
            guard let unit = units[row.code] else { continue }
            let at = "\(source) line \(row.line)"
            let parentLevel = unit.parent.flatMap { units[$0]?.level }
            if let parent = unit.parent, parentLevel == nil {
                throw EdupipeError(.invalidFile, "\(at): \(unit.code) names parent \(parent), which is not in the registry")
            }
            switch unit.level {
            case .province where unit.parent != nil:
                throw EdupipeError(.invalidFile, "\(at): province \(unit.code) names a parent (\(unit.parent ?? "")): a province has none")
            case .prefecture where parentLevel != .province:
                throw EdupipeError(.invalidFile, "\(at): prefecture \(unit.code) must sit under a province, not \(parentLevel.map { "a \($0.rawValue)" } ?? "nothing")")
            case .county where parentLevel != .province && parentLevel != .prefecture:
                throw EdupipeError(.invalidFile, "\(at): county \(unit.code) must sit under a prefecture or a province, not \(parentLevel.map { "a \($0.rawValue)" } ?? "nothing")")
            default:
                break
            }
        }
        func codes(_ level: Level) -> [String] { units.values.filter { $0.level == level }.map(\.code).sorted() }
        return Registry(units: units, provinces: codes(.province), prefectures: codes(.prefecture), counties: codes(.county))
    }
}
