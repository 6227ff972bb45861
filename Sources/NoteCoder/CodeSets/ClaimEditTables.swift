internal import Foundation

/// Which file a CMS edit table came from, its edition and the first date of service it governs,
/// so every edit can name its source.
public struct EditTableEdition: Sendable, Equatable {
    /// The file name inside `codes/cms/`.
    public var file: String
    /// What the table is, in the words of `sources.yaml` (up to its first full stop).
    public var name: String
    public var edition: String
    /// First date of service the table governs; nil when `sources.yaml` does not state it.
    public var effective: Day?

    /// "NCCI procedure-to-procedure edits, practitioner, 2024 Q3, effective 2024-07-01 (file)".
    public var description: String {
        "\(name), \(edition), " + (effective.map { "effective \($0)" } ?? "effective date not stated") + " (\(file))"
    }
}

/// A table chosen for a date of service: the newest edition in force that day, or, for a day
/// before every edition on hand, the nearest one, said so.
public struct ChosenTable<Table: Sendable>: Sendable {
    public var table: Table
    public var edition: EditTableEdition
    /// False when no edition on hand was in force on the day and the nearest was used.
    public var exact: Bool
    public var day: Day

    public var source: String { source(of: edition) }

    /// The source of one row of the table: the file it came from (tables of one edition read from
    /// several files are one table), with the same note when the edition is only the nearest.
    public func source(of rowEdition: EditTableEdition) -> String {
        exact ? rowEdition.description : rowEdition.description + "; the nearest edition on hand to \(day), which is before it takes effect"
    }
}

/// One NCCI procedure-to-procedure row: column two is not paid with column one, unless the
/// modifier indicator allows a modifier to show the services were distinct.
public struct PTPEdit: Sendable, Equatable {
    public var column1: String
    public var column2: String
    /// Last date of service the row applies to; nil while active (99991231 in the CMS file).
    public var deleted: Day?
    /// 0 = never together, 1 = a modifier may allow both, 9 = not applicable.
    public var modifierIndicator: Int
    public var rationale: String
    public var line: Int
    /// The file the row was read from (`line` is in it).
    public var edition: EditTableEdition

    public func inForce(on day: Day) -> Bool { deleted.map { day <= $0 } ?? true }

    /// Whether `other` is the same CMS row (a copy of it in another file of the edition).
    func sameEdit(as other: PTPEdit) -> Bool {
        column1 == other.column1 && column2 == other.column2 && deleted == other.deleted
            && modifierIndicator == other.modifierIndicator && rationale == other.rationale
    }
}

public struct PTPTable: Sendable {
    /// The edition of the first file read; `editions` lists every file of the table.
    public var edition: EditTableEdition
    public var editions: [EditTableEdition]
    public var rows: [PTPEdit]
    var byPair: [String: [Int]]
    var byCode: [String: [Int]]

    init(edition: EditTableEdition, rows: [PTPEdit], editions: [EditTableEdition]? = nil) {
        self.edition = edition
        self.editions = editions ?? [edition]
        self.rows = rows
        var byPair: [String: [Int]] = [:]
        var byCode: [String: [Int]] = [:]
        for (index, row) in rows.enumerated() {
            byPair[row.column1 + "|" + row.column2, default: []].append(index)
            byCode[row.column1, default: []].append(index)
            if row.column2 != row.column1 { byCode[row.column2, default: []].append(index) }
        }
        self.byPair = byPair
        self.byCode = byCode
    }

    /// Rows with `column1` in column one and `column2` in column two.
    public func rows(column1: String, column2: String) -> [PTPEdit] {
        (byPair[column1 + "|" + column2] ?? []).map { rows[$0] }
    }

    /// Every row naming `code` in either column.
    public func rows(involving code: String) -> [PTPEdit] {
        (byCode[code] ?? []).map { rows[$0] }
    }
}

/// A medically unlikely edit: the most units of a code one patient gets on one day.
public struct MUELimit: Sendable, Equatable {
    public var code: String
    public var units: Int
    /// MUE adjudication indicator: 1 claim line, 2 absolute date-of-service, 3 clinical date-of-service.
    public var adjudication: Int
    public var rationale: String
    public var line: Int
    /// The file the limit was read from (`line` is in it).
    public var edition: EditTableEdition

    /// The adjudication indicator in words, for reports and `notecoder code`.
    public static func meaning(of indicator: Int) -> String {
        switch indicator {
        case 1: "MAI 1, a claim-line limit: separate lines with fitting modifiers may exceed it"
        case 2: "MAI 2, an absolute limit per day of service set by policy: no modifier or appeal gets past it"
        case 3: "MAI 3, a clinical limit per day of service: units above it are denied but may be paid on appeal with documentation"
        default: "MAI \(indicator), an adjudication indicator CMS has not defined"
        }
    }
}

public struct MUETable: Sendable {
    /// The edition of the first file read; `editions` lists every file of the table.
    public var edition: EditTableEdition
    public var editions: [EditTableEdition]
    public var limits: [String: MUELimit]
}

/// One add-on code edit: the add-on is paid only with one of its primary codes on the claim.
public struct AddOnEdit: Sendable, Equatable {
    public var primary: String
    public var addOn: String
    /// 1 = only the listed primaries, 2 = no list (the MAC decides), 3 = the listed primaries
    /// and others the MAC allows.
    public var editType: Int
    public var line: Int
    /// The file the row was read from (`line` is in it).
    public var edition: EditTableEdition

    /// The primary column's wildcard: any primary code.
    static let anyPrimary = "CCCCC"
    public var anyPrimary: Bool { primary == AddOnEdit.anyPrimary }
}

public struct AddOnTable: Sendable {
    /// The edition of the first file read; `editions` lists every file of the table.
    public var edition: EditTableEdition
    public var editions: [EditTableEdition]
    var byAddOn: [String: [AddOnEdit]]

    /// The rows for `addOn` (empty when the table does not list it as an add-on code).
    public func edits(for addOn: String) -> [AddOnEdit] { byAddOn[addOn] ?? [] }

    /// Add-on codes that name `primary` as one of their primaries.
    public func addOns(withPrimary primary: String) -> [String] {
        byAddOn.filter { $0.value.contains { $0.primary == primary } }.keys.sorted()
    }
}

/// One ICD-10-CM Excludes1 note: the codes under `at` are not reported with those it excludes.
public struct Excludes1Note: Sendable {
    public struct Excluded: Sendable {
        /// Code prefixes: each stands for itself and every code under it.
        public var codes: [String]
        public var text: String
    }
    public var at: String
    public var title: String
    public var excludes: [Excluded]
    public var location: SourceLocation

    /// Whether `code` is `prefix` or a code under it (M54.5 covers M54.50; M15 covers M15.0).
    public static func covers(_ prefix: String, _ code: String) -> Bool {
        guard code.hasPrefix(prefix) else { return false }
        if code.count == prefix.count { return true }
        // A three-character category covers its dotted children; a dotted code covers longer ones.
        let next = code[code.index(code.startIndex, offsetBy: prefix.count)]
        return prefix.contains(".") || next == "."
    }

    /// What this note says about `code` paired with `other`, if it excludes that pair.
    public func excluded(_ code: String, with other: String) -> Excluded? {
        guard Excludes1Note.covers(at, code) else { return nil }
        return excludes.first { $0.codes.contains { Excludes1Note.covers($0, other) } }
    }
}

public struct Excludes1Notes: Sendable {
    public var source: String
    public var edition: String
    public var file: String
    public var notes: [Excludes1Note]

    /// "ICD-10-CM tabular FY2026 …, Excludes1 notes (Lexicons/codes/excludes1.yaml)".
    public var description: String { "\(source) (\(file))" }
}

/// The claim edits NoteCoder checks its suggestions against, loaded as dated data from
/// `codes/cms/` (listed in its `sources.yaml`) and `codes/excludes1.yaml`.
public struct ClaimEditTables: Sendable {
    public var ptp: [PTPTable]
    public var mue: [MUETable]
    public var addOns: [AddOnTable]
    public var excludes1: Excludes1Notes
    /// CMS physician fee schedule bilateral surgery indicator by code, from every fee schedule
    /// indicator file `sources.yaml` lists (the row without a `mod`: the global service).
    public var bilateralIndicators: [String: Int]

    public static let empty = ClaimEditTables(
        ptp: [], mue: [], addOns: [], excludes1: Excludes1Notes(source: "none", edition: "", file: "", notes: []), bilateralIndicators: [:])

    public func ptp(on day: Day) -> ChosenTable<PTPTable>? { ClaimEditTables.choose(ptp.map { ($0, $0.edition) }, on: day) }
    public func mue(on day: Day) -> ChosenTable<MUETable>? { ClaimEditTables.choose(mue.map { ($0, $0.edition) }, on: day) }
    public func addOns(on day: Day) -> ChosenTable<AddOnTable>? { ClaimEditTables.choose(addOns.map { ($0, $0.edition) }, on: day) }

    /// The newest edition in force on `day`; an edition without a stated date counts as in force.
    /// Before every edition, the earliest one, marked as not exact.
    static func choose<T>(_ tables: [(T, EditTableEdition)], on day: Day) -> ChosenTable<T>? {
        let inForce = tables.filter { $0.1.effective.map { $0 <= day } ?? true }
        if let newest = inForce.max(by: { ($0.1.effective ?? Day(year: 1900, month: 1, day: 1)) < ($1.1.effective ?? Day(year: 1900, month: 1, day: 1)) }) {
            return ChosenTable(table: newest.0, edition: newest.1, exact: true, day: day)
        }
        guard let earliest = tables.min(by: { ($0.1.effective ?? day) < ($1.1.effective ?? day) }) else { return nil }
        return ChosenTable(table: earliest.0, edition: earliest.1, exact: false, day: day)
    }
}

// MARK: loading

/// `codes/cms/sources.yaml`: the CMS files shipped, with edition and effective date.
struct CMSSourcesFile: Decodable {
    struct Entry: Decodable {
        var file: String
        var what: String?
        var edition: String?
        var effective: Day?
        /// The number of data rows the file holds; checked, so a file cut short is an error.
        var rows: Int?
    }
    var files: [Entry]
}

/// `codes/excludes1.yaml`.
struct Excludes1File: Decodable {
    struct Note: Decodable {
        struct Excluded: Decodable {
            var codes: [String]
            var text: String
        }
        var at: String
        var title: String
        var excludes: [Excluded]
    }
    var source: String
    var edition: String
    var notes: [Note]
}

extension LexiconLoader {
    /// Loads every table `codes/cms/sources.yaml` lists, recognised by its columns: NCCI pairs,
    /// unit limits, add-on codes and fee schedule indicators (other tables, such as HCPCS, are only
    /// checked to read whole). Tables of one kind, edition and effective date are read as one
    /// table, each row keeping its file. Also loads the Excludes1 notes. Collects problems.
    mutating func loadClaimEdits(icd: ICD10CMEditions) -> ClaimEditTables {
        var tables = ClaimEditTables.empty
        let sourcesRelative = "codes/cms/sources.yaml"
        do {
            let sources = try YAMLSource<CMSSourcesFile>(path: path(sourcesRelative).path, displayName: shown(sourcesRelative))
            var ptp: [PTPTable] = [], mue: [MUETable] = [], addOns: [AddOnTable] = []
            var bilateral: [String: (value: Int, file: String, line: Int)] = [:]
            for (index, entry) in sources.content.files.enumerated() {
                let entryLine = sources.line("files", index: index)
                let relative = "codes/cms/" + entry.file
                let name = entry.what.map(ClaimEditTables.shortName) ?? entry.file
                let edition = EditTableEdition(file: entry.file, name: name, edition: entry.edition ?? "edition not stated", effective: entry.effective)
                do {
                    let table = try EditTSV(path: path(relative).path, display: shown(relative))
                    tableRows.append(TableRowCount(file: shown(relative), rows: table.rows.count))
                    if let stated = entry.rows, stated != table.rows.count {
                        problems.append(LexiconProblem(file: shown(sourcesRelative), line: sources.line("files", index: index, then: ["rows"]) ?? entryLine, entry: entry.file,
                                                       message: "says \(stated) rows, but \(shown(relative)) has \(table.rows.count) data rows"))
                    }
                    // A header alone is a table cut short or saved wrong, whatever sources.yaml says.
                    if table.rows.isEmpty {
                        problems.append(LexiconProblem(file: shown(relative), line: nil, entry: nil, message: "gave no rows: a header and nothing under it"))
                    }
                    switch table.kind {
                    case .ptp: ptp.append(try table.ptp(edition))
                    case .mue: mue.append(try table.mue(edition))
                    case .addOn: addOns.append(try table.addOns(edition))
                    case .feeSchedule:
                        for (code, value, line) in try table.bilateralIndicators() {
                            if let earlier = bilateral[code] {
                                if earlier.value != value {
                                    problems.append(LexiconProblem(file: shown(relative), line: line, entry: code,
                                                                   message: "bilat_surg \(value) contradicts \(earlier.value) in \(earlier.file) line \(earlier.line)"))
                                }
                            } else {
                                bilateral[code] = (value, shown(relative), line)
                            }
                        }
                    case nil: break
                    }
                } catch {
                    problems.append(error.file == shown(relative) && error.line == nil && error.message == "file not found"
                        ? LexiconProblem(file: shown(sourcesRelative), line: entryLine, entry: entry.file, message: "lists '\(entry.file)', which is not in codes/cms/")
                        : error)
                }
            }
            tables.ptp = merged(ptp)
            tables.mue = merged(mue)
            tables.addOns = merged(addOns)
            tables.bilateralIndicators = bilateral.mapValues(\.value)
            for (kind, count) in [("procedure-to-procedure", tables.ptp.count), ("medically unlikely edit", tables.mue.count), ("add-on code", tables.addOns.count)] where count == 0 {
                problems.append(LexiconProblem(file: shown(sourcesRelative), line: nil, entry: nil, message: "no \(kind) table is listed"))
            }
        } catch {
            problems += error.problems
        }

        let excludesRelative = "codes/excludes1.yaml"
        do {
            let source = try YAMLSource<Excludes1File>(path: path(excludesRelative).path, displayName: shown(excludesRelative))
            tables.excludes1 = Excludes1Notes(source: source.content.source, edition: source.content.edition, file: source.path, notes: [])
            let edition = icd.editions.first { $0.name == source.content.edition }
            if edition == nil && !icd.editions.isEmpty {
                problems.append(LexiconProblem(file: source.path, line: source.line("edition"), entry: nil, message: "edition '\(source.content.edition)' is not an ICD-10-CM edition on hand"))
            }
            // The shipped tables hold a few chapters; codes of other chapters cannot be checked.
            // A prefix is itself a code (category or header) in the tables, so a lookup checks it.
            let letters = Set(icd.editions.last?.entries.keys.compactMap(\.first) ?? [])
            func known(_ prefix: String) -> Bool { icd.editions.contains { $0.entry(prefix) != nil } }
            for (index, note) in source.content.notes.enumerated() {
                let line = source.line("notes", index: index)
                if let edition, edition.entry(note.at)?.title != note.title {
                    let found = edition.entry(note.at).map { "'\($0.title)'" } ?? "no such code"
                    problems.append(LexiconProblem(file: source.path, line: line, entry: note.at, message: "title '\(note.title)' is not the \(edition.name) title (\(found))"))
                }
                for code in [note.at] + note.excludes.flatMap(\.codes) where code.first.map(letters.contains) == true && !known(code) {
                    problems.append(LexiconProblem(file: source.path, line: line, entry: note.at, message: "\(code) is not an ICD-10-CM code in any edition on hand"))
                }
                tables.excludes1.notes.append(Excludes1Note(
                    at: note.at, title: note.title,
                    excludes: note.excludes.map { .init(codes: $0.codes, text: $0.text) },
                    location: SourceLocation(file: source.path, line: line)))
            }
        } catch {
            problems += error.problems
        }
        return tables
    }
}

extension LexiconLoader {
    /// Tables of one kind that share their edition and effective date, as one table per edition
    /// (in the order `sources.yaml` lists them).
    static func editionGroups<T>(_ tables: [T], _ edition: (T) -> EditTableEdition) -> [[T]] {
        var groups: [[T]] = []
        for table in tables {
            let e = edition(table)
            if let index = groups.firstIndex(where: { edition($0[0]).edition == e.edition && edition($0[0]).effective == e.effective }) {
                groups[index].append(table)
            } else {
                groups.append([table])
            }
        }
        return groups
    }

    /// One PTP table per edition: the rows of its files, a row found again in a later file (the
    /// same CMS row) kept once, from the first file. The same pair and deletion date with another
    /// indicator or rationale is a contradiction between the files: a problem.
    mutating func merged(_ tables: [PTPTable]) -> [PTPTable] {
        LexiconLoader.editionGroups(tables, \.edition).map { group in
            guard group.count > 1 else { return group[0] }
            var rows = group[0].rows
            var seen: [String: Int] = [:]
            func key(_ row: PTPEdit) -> String { "\(row.column1)|\(row.column2)|\(row.deleted?.description ?? "")" }
            for (index, row) in rows.enumerated() where seen[key(row)] == nil { seen[key(row)] = index }
            for table in group.dropFirst() {
                for row in table.rows {
                    if let index = seen[key(row)] {
                        let earlier = rows[index]
                        if !row.sameEdit(as: earlier) {
                            problems.append(LexiconProblem(
                                file: shown("codes/cms/" + row.edition.file), line: row.line, entry: "\(row.column1)/\(row.column2)",
                                message: "contradicts \(shown("codes/cms/" + earlier.edition.file)) line \(earlier.line) of the same edition (modifier indicator \(row.modifierIndicator) vs \(earlier.modifierIndicator))"))
                        }
                        continue
                    }
                    seen[key(row)] = rows.count
                    rows.append(row)
                }
            }
            // In pair order, as each CMS file is sorted; a pair's rows keep their file order.
            let sorted = rows.enumerated().sorted { ($0.element.column1, $0.element.column2, $0.offset) < ($1.element.column1, $1.element.column2, $1.offset) }.map(\.element)
            return PTPTable(edition: group[0].edition, rows: sorted, editions: group.map(\.edition))
        }
    }

    /// One unit-limit table per edition; a code in two files of it must have the same limit.
    mutating func merged(_ tables: [MUETable]) -> [MUETable] {
        LexiconLoader.editionGroups(tables, \.edition).map { group in
            var limits = group[0].limits
            for table in group.dropFirst() {
                for limit in table.limits.values.sorted(by: { $0.line < $1.line }) {
                    if let earlier = limits[limit.code] {
                        if earlier.units != limit.units || earlier.adjudication != limit.adjudication {
                            problems.append(LexiconProblem(
                                file: shown("codes/cms/" + limit.edition.file), line: limit.line, entry: limit.code,
                                message: "MUE \(limit.units) (MAI \(limit.adjudication)) contradicts \(earlier.units) (MAI \(earlier.adjudication)) in \(shown("codes/cms/" + earlier.edition.file)) line \(earlier.line) of the same edition"))
                        }
                        continue
                    }
                    limits[limit.code] = limit
                }
            }
            return MUETable(edition: group[0].edition, editions: group.map(\.edition), limits: limits)
        }
    }

    /// One add-on table per edition; a row found again in a later file is kept once, and the same
    /// add-on and primary with another edit type is a problem.
    mutating func merged(_ tables: [AddOnTable]) -> [AddOnTable] {
        LexiconLoader.editionGroups(tables, \.edition).map { group in
            var byAddOn = group[0].byAddOn
            for table in group.dropFirst() {
                for addOn in table.byAddOn.keys.sorted() {
                    for edit in table.byAddOn[addOn] ?? [] {
                        if let earlier = byAddOn[addOn]?.first(where: { $0.primary == edit.primary }) {
                            if earlier.editType != edit.editType {
                                problems.append(LexiconProblem(
                                    file: shown("codes/cms/" + edit.edition.file), line: edit.line, entry: "\(addOn)/\(edit.primary)",
                                    message: "edit type \(edit.editType) contradicts \(earlier.editType) in \(shown("codes/cms/" + earlier.edition.file)) line \(earlier.line) of the same edition"))
                            }
                            continue
                        }
                        byAddOn[addOn, default: []].append(edit)
                    }
                }
            }
            return AddOnTable(edition: group[0].edition, editions: group.map(\.edition), byAddOn: byAddOn)
        }
    }
}

extension ClaimEditTables {
    /// "NCCI procedure-to-procedure edits, practitioner. deletion_date …" → the part before the
    /// first full stop or colon.
    static func shortName(_ what: String) -> String {
        let end = what.firstIndex { $0 == "." || $0 == ":" } ?? what.endIndex
        return what[..<end].trimmingCharacters(in: .whitespaces)
    }
}

/// A CMS edit TSV with its line numbers, recognised by its columns.
struct EditTSV {
    enum Kind { case ptp, mue, addOn, feeSchedule }
    let display: String
    let header: [String]
    /// (line number, fields)
    let rows: [(Int, [String])]

    init(path: String, display: String) throws(LexiconProblem) {
        self.display = display
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LexiconProblem(file: display, line: nil, entry: nil, message: "file not found")
        }
        // Read whole or not at all: invalid UTF-8, a blank line inside the table or a row with
        // another number of fields than the header is an error at its line, never a row dropped.
        var header: [String]?
        var rows: [(Int, [String])] = []
        for (number, bytes) in TableLines([UInt8](data)) {
            guard let line = String(validating: bytes, as: UTF8.self) else {
                throw LexiconProblem(file: display, line: number, entry: nil, message: "not valid UTF-8")
            }
            if line.isEmpty {
                throw LexiconProblem(file: display, line: number, entry: nil, message: "blank line inside the table")
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if let header {
                guard fields.count == header.count else {
                    throw LexiconProblem(file: display, line: number, entry: fields.first,
                                         message: "expected \(header.count) tab-separated fields as in the header, found \(fields.count)")
                }
                rows.append((number, fields))
            } else {
                header = fields
            }
        }
        guard let header else { throw LexiconProblem(file: display, line: 1, entry: nil, message: "empty table") }
        self.header = header
        self.rows = rows
    }

    var kind: Kind? {
        let columns = Set(header)
        if columns.isSuperset(of: ["column1", "column2", "deletion_date", "modifier_indicator"]) { return .ptp }
        if columns.isSuperset(of: ["hcpcs_code", "mue_units", "mue_mai"]) { return .mue }
        if columns.isSuperset(of: ["primary_code", "add_on_code", "aoc_edit_type"]) { return .addOn }
        if columns.isSuperset(of: ["hcpcs_code", "bilat_surg"]) { return .feeSchedule }
        return nil
    }

    func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    func field(_ row: (Int, [String]), _ column: Int?) throws(LexiconProblem) -> String {
        guard let column else { return "" }
        guard column < row.1.count else {
            throw LexiconProblem(file: display, line: row.0, entry: nil, message: "expected \(header.count) tab-separated fields, found \(row.1.count)")
        }
        return row.1[column].trimmingCharacters(in: .whitespaces)
    }

    func integer(_ row: (Int, [String]), _ column: Int?, _ what: String, allowed: ClosedRange<Int>) throws(LexiconProblem) -> Int {
        let text = try field(row, column)
        guard let value = Int(text), allowed.contains(value) else {
            throw LexiconProblem(file: display, line: row.0, entry: row.1.first, message: "\(what) must be a number in \(allowed.lowerBound)...\(allowed.upperBound), found '\(text)'")
        }
        return value
    }

    func code(_ row: (Int, [String]), _ column: Int?, _ what: String) throws(LexiconProblem) -> String {
        let text = try field(row, column)
        guard !text.isEmpty else { throw LexiconProblem(file: display, line: row.0, entry: nil, message: "\(what) is empty") }
        return text
    }

    /// `YYYYMMDD`; 99991231 means no deletion.
    func deletion(_ row: (Int, [String]), _ column: Int?) throws(LexiconProblem) -> Day? {
        let text = try field(row, column)
        if text == "99991231" || text.isEmpty { return nil }
        do {
            return try Day(compact: text)
        } catch .notISO {
            throw LexiconProblem(file: display, line: row.0, entry: row.1.first, message: "deletion_date must be YYYYMMDD, found '\(text)'")
        } catch {
            throw LexiconProblem(file: display, line: row.0, entry: row.1.first, message: "deletion_date '\(text)': \(error)")
        }
    }

    func ptp(_ edition: EditTableEdition) throws(LexiconProblem) -> PTPTable {
        let c1 = column("column1"), c2 = column("column2"), deletion = column("deletion_date")
        let indicator = column("modifier_indicator"), rationale = column("rationale")
        var edits: [PTPEdit] = []
        for row in rows {
            edits.append(PTPEdit(
                column1: try code(row, c1, "column1"), column2: try code(row, c2, "column2"),
                deleted: try self.deletion(row, deletion),
                modifierIndicator: try integer(row, indicator, "modifier_indicator", allowed: 0...9),
                rationale: try field(row, rationale), line: row.0, edition: edition))
        }
        return PTPTable(edition: edition, rows: edits)
    }

    func mue(_ edition: EditTableEdition) throws(LexiconProblem) -> MUETable {
        let code = column("hcpcs_code"), units = column("mue_units"), mai = column("mue_mai"), rationale = column("mue_rationale")
        var limits: [String: MUELimit] = [:]
        for row in rows {
            let value = try self.code(row, code, "hcpcs_code")
            if limits[value] != nil {
                throw LexiconProblem(file: display, line: row.0, entry: value, message: "code listed twice")
            }
            limits[value] = MUELimit(
                code: value, units: try integer(row, units, "mue_units", allowed: 0...Int.max),
                adjudication: try integer(row, mai, "mue_mai", allowed: 1...3),
                rationale: try field(row, rationale), line: row.0, edition: edition)
        }
        return MUETable(edition: edition, editions: [edition], limits: limits)
    }

    func addOns(_ edition: EditTableEdition) throws(LexiconProblem) -> AddOnTable {
        let primary = column("primary_code"), addOn = column("add_on_code"), type = column("aoc_edit_type")
        var byAddOn: [String: [AddOnEdit]] = [:]
        for row in rows {
            let edit = AddOnEdit(
                primary: try code(row, primary, "primary_code"), addOn: try code(row, addOn, "add_on_code"),
                editType: try integer(row, type, "aoc_edit_type", allowed: 1...3), line: row.0, edition: edition)
            byAddOn[edit.addOn, default: []].append(edit)
        }
        return AddOnTable(edition: edition, editions: [edition], byAddOn: byAddOn)
    }

    /// The bilateral surgery indicator of each code's global row (no `mod`; the 26 and TC rows
    /// are the professional and technical components): (code, indicator, line).
    func bilateralIndicators() throws(LexiconProblem) -> [(String, Int, Int)] {
        let code = column("hcpcs_code"), modifier = column("mod"), bilateral = column("bilat_surg")
        var result: [(String, Int, Int)] = []
        var seen: [String: Int] = [:]
        for row in rows {
            guard try field(row, modifier).isEmpty else { continue }
            let value = try self.code(row, code, "hcpcs_code")
            if let earlier = seen[value] {
                throw LexiconProblem(file: display, line: row.0, entry: value, message: "code listed twice without a modifier (first at line \(earlier))")
            }
            seen[value] = row.0
            result.append((value, try integer(row, bilateral, "bilat_surg", allowed: 0...9), row.0))
        }
        return result
    }
}
