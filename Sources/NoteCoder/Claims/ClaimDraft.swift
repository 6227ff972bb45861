/// A report laid out as a professional claim is: one diagnosis list for the encounter, with a
/// letter per diagnosis (A–L, twelve at most, as on the CMS-1500 and the 837P), and one service
/// line per procedure code, each pointing to at most four of those letters.
///
/// The draft is what a coder would key into a billing system from the suggestions, pending
/// queries and all: FORMAT.md bills the code the documentation supports while a query is out,
/// and each line keeps the queries it waits on so the biller can hold it.
public struct ClaimDraft: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        /// 1-based, in the report's order.
        public var number: Int
        public var code: String
        /// The first four modifiers; an 837P line carries no more.
        public var modifiers: [String]
        public var units: Int
        /// 1-based positions in `diagnoses`, at most four, in the order the line lists them.
        public var pointers: [Int]
        public var label: String
        public var pendingQueries: [String]
        public var evidence: [Evidence]
    }

    public struct Diagnosis: Sendable, Equatable {
        public var code: String
        public var label: String
        public var evidence: [Evidence]
    }

    public static let maxDiagnoses = 12
    public static let maxPointers = 4
    public static let maxModifiers = 4

    public var noteID: String
    public var dateOfService: String?
    public var diagnoses: [Diagnosis]
    public var lines: [Line]
    /// What did not fit: diagnoses past the twelfth, pointers past the fourth, modifiers past
    /// the fourth. Said, never dropped silently.
    public var warnings: [String]

    /// The diagnoses a line points to come first, in the order the lines name them, so that
    /// every pointer finds a letter; the others follow in the report's order.
    public init(_ report: Report) {
        noteID = report.id
        dateOfService = report.dateOfService
        var order: [String] = []
        for line in report.procedures { for code in line.diagnoses where !order.contains(code) { order.append(code) } }
        for diagnosis in report.diagnoses where !order.contains(diagnosis.code) { order.append(diagnosis.code) }
        var warnings: [String] = []
        if order.count > Self.maxDiagnoses {
            warnings.append("a claim holds \(Self.maxDiagnoses) diagnoses; left off: \(order[Self.maxDiagnoses...].joined(separator: ", "))")
            order = Array(order.prefix(Self.maxDiagnoses))
        }
        let byCode = Dictionary(report.diagnoses.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        diagnoses = order.map { code in
            Diagnosis(code: code, label: byCode[code]?.label ?? "", evidence: byCode[code]?.evidence ?? [])
        }
        lines = report.procedures.enumerated().map { offset, procedure in
            let letters = procedure.diagnoses.compactMap { code in order.firstIndex(of: code).map { $0 + 1 } }
            if letters.count > Self.maxPointers {
                warnings.append("line \(offset + 1) (\(procedure.code)) points to \(letters.count) diagnoses; a line carries \(Self.maxPointers)")
            }
            if procedure.modifiers.count > Self.maxModifiers {
                warnings.append("line \(offset + 1) (\(procedure.code)) has \(procedure.modifiers.count) modifiers; a line carries \(Self.maxModifiers)")
            }
            return Line(number: offset + 1, code: procedure.code, modifiers: Array(procedure.modifiers.prefix(Self.maxModifiers)),
                        units: procedure.units, pointers: Array(letters.prefix(Self.maxPointers)), label: procedure.label,
                        pendingQueries: procedure.pendingQueries, evidence: procedure.evidence)
        }
        self.warnings = warnings
    }

    /// The pointer letter of a diagnosis position: 1 is A, 12 is L.
    public static func letter(_ position: Int) -> String {
        String(UnicodeScalar(UInt8(ascii: "A") + UInt8(position - 1)))
    }
}
