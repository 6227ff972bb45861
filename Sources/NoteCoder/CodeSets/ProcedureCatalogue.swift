internal import Foundation

/// A CPT or HCPCS code NoteCoder may suggest, with the dates it is valid and a label in our own
/// words (CPT descriptors are AMA-copyrighted and are never shipped).
public struct ProcedureCode: Sendable {
    public var code: String
    public var system: String
    public var validity: Validity
    public var addOnTo: [String]
    /// Whether RT/LT describe the side (paired anatomy); false for trigger points, care management.
    public var sideModifiers: Bool
    /// CMS physician fee schedule bilateral indicator, when the indicator file carries the code.
    public var bilateralIndicator: Int?
    var labels: [(from: Day?, label: String)]

    /// The label in force on `day`, since some descriptors were reworded (27278/27279 in 2026).
    public func label(on day: Day) -> String {
        labels.last { $0.from.map { $0 <= day } ?? true }?.label ?? labels.first?.label ?? code
    }
}

/// Every procedure code in scope, keyed by code.
public struct ProcedureCatalogue: Sendable {
    var codes: [String: ProcedureCode]

    public func code(_ code: String) -> ProcedureCode? { codes[code] }
    public var allCodes: [String] { codes.keys.sorted() }

    struct File: Decodable {
        struct Label: Decodable {
            var from: Day
            var label: String
        }
        struct Code: Decodable {
            var code: String
            var system: String
            var label: String
            var from: Day?
            var until: Day?
            var addOnTo: [String]?
            var sideModifiers: Bool?
            var labels: [Label]?
        }
        var codes: [Code]
    }

    static func load(file: URL, display: String, bilateralIndicators: [String: Int]) throws(LexiconError) -> ProcedureCatalogue {
        let source = try YAMLSource<File>(path: file.path, displayName: display)
        var codes: [String: ProcedureCode] = [:]
        var problems: [LexiconProblem] = []
        for (index, item) in source.content.codes.enumerated() {
            if codes[item.code] != nil {
                problems.append(LexiconProblem(file: display, line: source.line("codes", index: index), entry: item.code, message: "code listed twice"))
            }
            var labels: [(from: Day?, label: String)] = [(item.from, item.label)]
            labels += (item.labels ?? []).map { (Optional($0.from), $0.label) }
            codes[item.code] = ProcedureCode(
                code: item.code, system: item.system,
                validity: Validity(from: item.from, until: item.until),
                addOnTo: item.addOnTo ?? [], sideModifiers: item.sideModifiers ?? false,
                bilateralIndicator: bilateralIndicators[item.code], labels: labels)
        }
        guard problems.isEmpty else { throw LexiconError(problems: problems) }
        return ProcedureCatalogue(codes: codes)
    }
}
