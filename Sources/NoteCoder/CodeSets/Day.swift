/// A calendar date without time or zone: dates of service and code validity are days, and
/// comparing them must not depend on the machine's time zone.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The one parser of every date a user or an export gives (flags, batch records, the API,
    /// lexicon and gold files): exactly `YYYY-MM-DD` in ASCII digits, a day that exists.
    /// `Int("+1")` is 1, so splitting on dashes and converting each part let `2024-+1-15` through.
    public init(parsing text: String) throws(DayError) {
        let bytes = Array(text.utf8)
        let digitPositions = [0, 1, 2, 3, 5, 6, 8, 9]
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              digitPositions.allSatisfy({ bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9") }) else {
            throw .notISO
        }
        try self.init(checking: Self.number(bytes, 0..<4), Self.number(bytes, 5..<7), Self.number(bytes, 8..<10))
    }

    /// Parses `YYYY-MM-DD`, checking that the day exists in that month; nil where
    /// `init(parsing:)` would say why.
    public init?(iso text: String) {
        guard let day = try? Day(parsing: text) else { return nil }
        self = day
    }

    /// `YYYYMMDD` as the CMS files write dates, by the same rules as `init(parsing:)`.
    init(compact text: String) throws(DayError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 8, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { throw .notISO }
        try self.init(checking: Self.number(bytes, 0..<4), Self.number(bytes, 4..<6), Self.number(bytes, 6..<8))
    }

    /// The number the ASCII digits at `range` write (checked as digits by the caller).
    private static func number(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        range.reduce(0) { $0 * 10 + Int(bytes[$1] - UInt8(ascii: "0")) }
    }

    private init(checking year: Int, _ month: Int, _ day: Int) throws(DayError) {
        guard (1...12).contains(month) else { throw .noSuchMonth(month) }
        guard (1...Day.length(ofMonth: month, in: year)).contains(day) else { throw .noSuchDay(year: year, month: month, day: day) }
        guard Day.years.contains(year) else { throw .yearOutOfRange(year) }
        self.init(year: year, month: month, day: day)
    }

    /// The years NoteCoder accepts: a date outside them is a typing error, not a visit.
    public static let years = 1900...2200

    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard years.contains(year), (1...12).contains(month), day >= 1 else { return false }
        return day <= length(ofMonth: month, in: year)
    }

    static func length(ofMonth month: Int, in year: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: Day, b: Day) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Day(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a date: \(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why a text is not a date, in words that tell a form that is wrong from a day that does not
/// exist: "2025-02-30" is written right and is still no day.
public enum DayError: Error, Sendable, Equatable, CustomStringConvertible {
    case notISO
    case noSuchMonth(Int)
    case noSuchDay(year: Int, month: Int, day: Int)
    case yearOutOfRange(Int)

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    public var description: String {
        switch self {
        case .notISO: "not of the form YYYY-MM-DD"
        case let .noSuchMonth(month): "no such month: \(month) (months are 01 to 12)"
        case let .noSuchDay(year, month, day):
            "no such day: \(DayError.monthNames[month - 1]) \(year) has \(Day.length(ofMonth: month, in: year)) days, not \(day)"
        case let .yearOutOfRange(year): "year \(year) is outside \(Day.years.lowerBound)–\(Day.years.upperBound)"
        }
    }
}

/// A span of days during which a code or an edition is in force; open ends are unbounded.
public struct Validity: Sendable, Equatable {
    public var from: Day?
    public var until: Day?
    public func contains(_ day: Day) -> Bool {
        if let from, day < from { return false }
        if let until, until < day { return false }
        return true
    }
    public var description: String {
        "\(from.map(\.description) ?? "…")–\(until.map(\.description) ?? "…")"
    }
}
