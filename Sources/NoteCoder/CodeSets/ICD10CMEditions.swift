internal import Foundation

/// One ICD-10-CM edition: every code with its billable flag and title, as CMS/NCHS publish it.
public struct ICD10CMEdition: Sendable {
    public struct Entry: Sendable {
        public var billable: Bool
        public var title: String
    }
    public var name: String
    public var validity: Validity
    public var source: String
    var entries: [String: Entry]
    /// The table the edition was read from, as problems name it.
    var file: String = ""

    public func entry(_ code: String) -> Entry? { entries[code] }
    public func isBillable(_ code: String) -> Bool { entries[code]?.billable == true }
}

/// The editions on hand, chosen by date of service: a claim is judged by the edition in force that day.
public struct ICD10CMEditions: Sendable {
    public var editions: [ICD10CMEdition]
    /// The first letters of the codes the tables carry (`chapters` in editions.yaml); empty when
    /// they carry every chapter. A code outside them may well exist: NoteCoder must say it does
    /// not know, never that the code is not ICD-10-CM.
    public var letters: [String] = []

    /// Whether the tables on hand would hold `code` if it existed.
    public func covers(_ code: String) -> Bool {
        guard let first = code.first else { return false }
        return letters.isEmpty || letters.contains(String(first).uppercased())
    }

    /// What `lexicon check`, `code` and the API say of the tables' reach.
    public var reach: String {
        let names = editions.map(\.name).joined(separator: ", ")
        guard !letters.isEmpty else { return "every chapter of \(names)" }
        return "the codes starting with \(Self.list(letters)) of \(names)"
    }

    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.joined() }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    /// The edition in force on `day`; without one, the next edition after it (a code deleted
    /// in between is gone from the later edition, so nothing dead is suggested), or the last
    /// edition for days after all of them. `exact` says whether the edition covers the day.
    public func edition(on day: Day) -> (edition: ICD10CMEdition, exact: Bool) {
        if let exact = editions.first(where: { $0.validity.contains(day) }) { return (exact, true) }
        let sorted = editions.sorted { ($0.validity.from ?? day) < ($1.validity.from ?? day) }
        if let next = sorted.first(where: { ($0.validity.from ?? day) > day }) { return (next, false) }
        return (sorted.last!, false)
    }

    /// Whether `code` is billable in any edition on hand (used by `lexicon check`, since a rule
    /// may name a code that only one edition carries, like M54.5 before October 2021).
    public func billableSomewhere(_ code: String) -> Bool { editions.contains { $0.isBillable(code) } }

    struct EditionsFile: Decodable {
        struct Edition: Decodable {
            var name: String
            var file: String
            var from: Day
            var until: Day
            var source: String?
        }
        var editions: [Edition]
        /// First letters of the codes the tables hold, where they hold only some chapters.
        var chapters: [String]?
    }

    static func load(directory: URL, displayRoot: String) throws(LexiconError) -> ICD10CMEditions {
        let listPath = directory.appendingPathComponent("editions.yaml").path
        let display = displayRoot + "/editions.yaml"
        let list = try YAMLSource<EditionsFile>(path: listPath, displayName: display)
        var editions: [ICD10CMEdition] = []
        var problems: [LexiconProblem] = []
        for (index, item) in list.content.editions.enumerated() {
            let tablePath = directory.appendingPathComponent(item.file).path
            guard let data = FileManager.default.contents(atPath: tablePath) else {
                problems.append(LexiconProblem(file: display, line: list.line("editions", index: index, then: ["file"]), entry: item.name, message: "table '\(item.file)' not found"))
                continue
            }
            do {
                let file = displayRoot + "/" + item.file
                let entries = try parseTable(data, file: file)
                if entries.isEmpty {
                    problems.append(LexiconProblem(file: file, line: nil, entry: item.name, message: "gave no codes"))
                    continue
                }
                if let chapters = list.content.chapters,
                   let stray = entries.keys.filter({ !chapters.contains(String($0.prefix(1))) }).min() {
                    problems.append(LexiconProblem(file: file, line: nil, entry: item.name,
                                                   message: "holds \(stray), outside the chapters editions.yaml says are on hand (\(chapters.joined(separator: ", ")))"))
                    continue
                }
                editions.append(ICD10CMEdition(name: item.name, validity: Validity(from: item.from, until: item.until), source: item.source ?? "",
                                               entries: entries, file: file))
            } catch {
                problems.append(error)
            }
        }
        guard problems.isEmpty else { throw LexiconError(problems: problems) }
        return ICD10CMEditions(editions: editions, letters: list.content.chapters ?? [])
    }

    /// `code<TAB>billable<TAB>title`, header line allowed; fields are split on bytes because the
    /// tables are loaded on every start.
    static func parseTable(_ data: Data, file: String) throws(LexiconProblem) -> [String: ICD10CMEdition.Entry] {
        var entries: [String: ICD10CMEdition.Entry] = [:]
        for (lineNumber, line) in TableLines([UInt8](data)) {
            if line.isEmpty { continue }
            let fields = line.split(separator: 0x09, maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                throw LexiconProblem(file: file, line: lineNumber, entry: nil, message: "expected code<TAB>billable<TAB>title")
            }
            let code = String(decoding: fields[0], as: UTF8.self)
            if lineNumber == 1 && code == "code" { continue }
            let flag = String(decoding: fields[1], as: UTF8.self)
            guard flag == "0" || flag == "1" else {
                throw LexiconProblem(file: file, line: lineNumber, entry: code, message: "billable must be 0 or 1, found '\(flag)'")
            }
            entries[code] = .init(billable: flag == "1", title: String(decoding: fields[2], as: UTF8.self))
        }
        return entries
    }
}
