import Foundation
import Testing
@testable import NoteCoder

@Suite("Evaluation: code scope")
struct EvaluationScopeTests {
    /// The repository's own scope file: FORMAT.md's first scope widened to the spine and
    /// interventional families (scope v2).
    static let scopeFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lexicons/scope.yaml")

    @Test("the repository scope file loads with the FORMAT.md entries")
    func loadsRepositoryScope() throws {
        let scope = try CodeScope.load(from: Self.scopeFile)
        #expect(scope.name == "scope v2 (spine and interventional)")
        #expect(scope.diagnoses.count == 25)
        #expect(scope.procedures.count == 33)
        #expect(scope.diagnoses.first == .prefix("G56.0"))
        #expect(scope.diagnoses[1] == .range("M15", "M19"))
        #expect(scope.diagnoses[2] == .exact("M54.81"))
    }

    @Test(
        "diagnosis membership",
        arguments: [
            ("G56.01", true), ("G56.00", true), ("G56.1", false), ("G56.11", false),
            ("M17.11", true), ("M15.0", true), ("M19.90", true), ("M20.1", false), ("M14.8", false),
            ("M54.81", true), ("M54.89", false), ("M79.18", true), ("M79.7", false),
            ("G89.29", true), ("M25.561", true), ("M25.461", false), ("M54.2", true), ("M54.50", true),
            ("G44.209", true), ("G44.86", true), ("G44.1", false), ("Z79.899", false),
            ("M47.816", true), ("M51.360", true), ("M54.16", true), ("M96.1", true), ("M46.1", true),
            ("G90.512", true), ("M54.6", true), ("M54.9", false), ("M46.0", false), ("M96.0", false),
        ])
    func diagnosisMembership(code: String, expected: Bool) throws {
        let scope = try CodeScope.load(from: Self.scopeFile)
        #expect(scope.contains(diagnosis: code) == expected)
    }

    @Test(
        "procedure membership",
        arguments: [
            ("20553", true), ("20550", true), ("20549", false), ("20560", false),
            ("64450", true), ("64400", true), ("64455", true), ("64490", true), ("64456", false),
            ("20526", true), ("20527", false), ("20610", true), ("20612", false),
            ("99426", true), ("99428", false), ("99490", true), ("99488", false),
            ("G0506", true), ("0521F", true), ("27278", true), ("27280", false), ("62323", true),
            ("64484", true), ("64485", false), ("64636", true), ("64632", false), ("64624", false), ("77003", true),
            ("77012", false), ("27096", true), ("G0260", true), ("62319", false),
        ])
    func procedureMembership(code: String, expected: Bool) throws {
        let scope = try CodeScope.load(from: Self.scopeFile)
        #expect(scope.contains(procedure: code) == expected)
    }

    @Test("a diagnosis code is not scored as a procedure")
    func familiesAreSeparate() throws {
        let scope = try CodeScope.load(from: Self.scopeFile)
        #expect(!scope.contains(procedure: "M54.2"))
        #expect(!scope.contains(diagnosis: "20553"))
    }

    @Test(
        "a malformed entry is reported with the file and the entry",
        arguments: ["20553-20550", "M5 4", "*", "A-B-C", "20550-", "G56.0**"])
    func malformedEntry(entry: String) {
        let yaml = "name: broken\ndiagnoses: ['M54.2']\nprocedures: ['20526', '\(entry)']\n"
        #expect {
            _ = try CodeScope.parse(yaml: yaml, file: "Lexicons/broken.yaml")
        } throws: { error in
            let text = String(describing: error)
            return text.hasPrefix("Lexicons/broken.yaml:") && text.contains("procedures[1]") && text.contains(entry)
        }
    }

    @Test("a missing list is reported by name")
    func missingList() {
        #expect {
            _ = try CodeScope.parse(yaml: "name: x\ndiagnoses: ['M54.2']\n", file: "s.yaml")
        } throws: { error in
            String(describing: error) == "s.yaml: missing field 'procedures'"
        }
    }

    @Test("unquoted numeric codes are read as text, and a missing name falls back to the file stem")
    func unquotedCodes() throws {
        let scope = try CodeScope.parse(yaml: "diagnoses: []\nprocedures: [20526, 99424-99427]\n", file: "Lexicons/mini.yaml")
        #expect(scope.name == "mini")
        #expect(scope.contains(procedure: "20526"))
        #expect(scope.contains(procedure: "99425"))
    }
}
