import Foundation
import Testing
@testable import NoteCoder

/// A copy of the repository's `Lexicons/` in a scratch folder, to break one thing at a time.
struct LexiconCopy {
    let folder: TemporaryFolder
    var root: URL { folder.url.appendingPathComponent("Lexicons", isDirectory: true) }

    init() throws {
        folder = try TemporaryFolder("notecoder-lexicon")
        try FileManager.default.copyItem(at: TestRepository.lexicons, to: root)
    }

    func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    func read(_ relative: String) throws -> String { try String(contentsOf: url(relative), encoding: .utf8) }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: url(relative))
    }

    /// Appends `text` to a file and returns the 1-based line where it starts.
    @discardableResult
    func append(_ relative: String, _ text: String) throws -> Int {
        var existing = try read(relative)
        if !existing.hasSuffix("\n") { existing += "\n" }
        try write(relative, existing + text)
        return existing.filter { $0 == "\n" }.count + 1
    }

    /// Loads the copy, expecting it to fail, and returns the problems.
    func problems(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [LexiconProblem] {
        let error = try #require(throws: LexiconError.self, sourceLocation: sourceLocation) {
            _ = try Lexicon.load(from: root)
        }
        #expect(!error.problems.isEmpty, sourceLocation: sourceLocation)
        return error.problems
    }

    /// Loads the copy, expecting it to fail with exactly one problem, and returns that problem.
    func onlyProblem(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> LexiconProblem {
        let problems = try problems(sourceLocation: sourceLocation)
        #expect(problems.count == 1, sourceLocation: sourceLocation)
        return try #require(problems.first, sourceLocation: sourceLocation)
    }
}

/// A concept file written by a test; `body` is the concept's lines after `- id:`.
private func conceptFile(id: String, kind: String = "condition", body: String) -> String {
    """
    # Written by LexiconLoadingTests.
    concepts:
      - id: \(id)
        kind: \(kind)
    \(body)
    """
}

/// A concept file with one test concept, by default the knee osteoarthritis one: label,
/// patterns (YAML after `patterns:`), the `match:` examples, optional `attributes:`, then
/// the `coding:` lines, each as written under `coding:` less that block's indentation.
private func conceptFile(
    id: String = "knee-oa-test", kind: String = "condition", label: String = "knee osteoarthritis test",
    patterns: String = "['gonarthrosis']", match: String = "['gonarthrosis']", attributes: String? = nil,
    coding: [String]
) -> String {
    var lines = ["label: \(label)", "patterns: \(patterns)", "examples:", "  match: \(match)"]
    if let attributes { lines.append("attributes: \(attributes)") }
    lines.append("coding:")
    lines += coding.map { "  " + $0 }
    return conceptFile(id: id, kind: kind, body: lines.map { "    " + $0 }.joined(separator: "\n"))
}

/// Expects `problem` to be in `file` at `line`, about `entry`, with a message holding every
/// fragment of `contains`; what is left nil is not checked.
private func expectProblem(
    _ problem: LexiconProblem, file: String? = nil, line: Int? = nil, entry: String? = nil, contains fragments: [String] = [],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    if let file { #expect(problem.file == file, sourceLocation: sourceLocation) }
    if let line { #expect(problem.line == line, sourceLocation: sourceLocation) }
    if let entry { #expect(problem.entry == entry, sourceLocation: sourceLocation) }
    for fragment in fragments {
        #expect(problem.message.contains(fragment), sourceLocation: sourceLocation)
    }
}

@Suite("Lexicon loading: bad lexicons give clear errors")
struct LexiconLoadingTests {
    @Test("an intact copy of Lexicons/ loads, so each failure below is the one thing broken")
    func intactCopyLoads() throws {
        let copy = try LexiconCopy()
        let lexicon = try Lexicon.load(from: copy.root)
        #expect(lexicon.concepts.count == (try SharedLexicon.lexicon()).concepts.count)
    }

    @Test("a pattern that does not compile names the file, line, entry, PCRE2's message and the pattern")
    func patternDoesNotCompile() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", conceptFile(id: "broken-pattern", body: """
                label: broken pattern
                patterns:
                  - 'knee\\s+pain'
                  - 'hip\\s+a{2,1}pain'
                examples:
                  match: ['knee pain']
                coding:
                  - codes: [M25.561]
            """))
        let problem = try copy.onlyProblem()
        expectProblem(problem, file: "Lexicons/conditions/zz-test.yaml", line: 8, entry: "broken-pattern", contains: [
            "pattern does not compile", "numbers out of order in {} quantifier", " at offset ", "'hip\\s+a{2,1}pain'",
        ])
        #expect(problem.description.hasPrefix("Lexicons/conditions/zz-test.yaml:8 [broken-pattern]: "))
    }

    @Test(
        "a compile error's offset is counted in the pattern as the author wrote it")
    func patternOffsetIsTheAuthors() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", conceptFile(
            id: "broken-pattern", label: "broken pattern", patterns: "['hip\\s+a{2,1}pain']", match: "['hip pain']",
            coding: ["- codes: [M25.551]"]))
        let problem = try #require(try copy.problems().first)
        // PCRE2 stops at the "}" of "{2,1}": byte 11 of 'hip\s+a{2,1}pain' (the engine says 30).
        #expect(problem.message.contains("at offset 11 of 'hip\\s+a{2,1}pain'"))
    }

    @Test("a section header that does not compile is reported against sections.yaml")
    func sectionHeaderDoesNotCompile() throws {
        let copy = try LexiconCopy()
        let line = try copy.append("sections.yaml", """
              - id: broken-header
                label: Broken
                header: 'broken(?:header'
                examples:
                  match: ['BROKEN HEADER: x']
            """)
        let problem = try #require(try copy.problems().first)
        expectProblem(problem, file: "Lexicons/sections.yaml", line: line + 2, entry: "broken-header", contains: ["pattern does not compile"])
    }

    @Test("a rule code that is only a header, not billable, is refused")
    func headerCode() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", conceptFile(coding: ["- codes: [M17.1]"]))
        expectProblem(try copy.onlyProblem(), file: "Lexicons/conditions/zz-test.yaml", line: 10, entry: "knee-oa-test",
                      contains: ["M17.1", "header, not billable"])
    }

    @Test("a rule code that exists in no edition is refused")
    func unknownCode() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", conceptFile(coding: ["- codes: [M17.11]", "- codes: [M17.7]"]))
        expectProblem(try copy.onlyProblem(), line: 11, entry: "knee-oa-test", contains: ["M17.7 is not an ICD-10-CM code"])
    }

    @Test("a procedure code missing from the procedure catalogue is refused")
    func unknownProcedureCode() throws {
        let copy = try LexiconCopy()
        try copy.write("procedures/zz-test.yaml", conceptFile(
            id: "made-up-procedure", kind: "procedure", label: "made-up procedure", patterns: "['frobnication']",
            match: "['frobnication']", coding: ["- codes: ['99999']"]))
        let problem = try #require(try copy.problems().first)
        expectProblem(problem, file: "Lexicons/procedures/zz-test.yaml", entry: "made-up-procedure", contains: ["99999", "procedure catalogue"])
    }

    @Test("a rule testing an attribute that does not exist is refused")
    func unknownAttributeInRule() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", conceptFile(
            attributes: "[side]", coding: ["- when: {laterality: right}", "  codes: [M17.11]", "- codes: [M17.10]"]))
        expectProblem(try copy.onlyProblem(), file: "Lexicons/conditions/zz-test.yaml", line: 11, entry: "knee-oa-test",
                      contains: ["unknown attribute 'laterality'"])
    }

    @Test("a rule value that the attribute does not have is refused")
    func unknownAttributeValue() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", conceptFile(attributes: "[side]", coding: ["- when: {side: dextral}", "  codes: [M17.11]"]))
        let problem = try #require(try copy.problems().first)
        expectProblem(problem, entry: "knee-oa-test", contains: ["'dextral' is not a value of 'side'"])
    }

    @Test("a concept listing an attribute that does not exist is refused")
    func unknownAttributeOnConcept() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", conceptFile(attributes: "[side, handedness]", coding: ["- codes: [M17.10]"]))
        let problem = try #require(try copy.problems().first)
        expectProblem(problem, file: "Lexicons/conditions/zz-test.yaml", line: 3, contains: ["unknown attribute 'handedness'"])
    }

    @Test("a concept id used twice is refused, naming the second place")
    func duplicateConceptId() throws {
        let copy = try LexiconCopy()
        let existing = try #require(try SharedLexicon.lexicon().concepts.first { $0.kind == .condition })
        try copy.write("conditions/zz-test.yaml", conceptFile(id: existing.id, label: "duplicate", coding: ["- codes: [M17.10]"]))
        expectProblem(try copy.onlyProblem(), file: "Lexicons/conditions/zz-test.yaml", line: 3, entry: existing.id,
                      contains: ["used twice"])
    }

    @Test("a query template that speaks of payment is refused")
    func queryMentionsPayment() throws {
        let copy = try LexiconCopy()
        let line = try copy.append("queries.yaml", """
              - kind: payment-test
                title: Payment
                question: 'Please document {finding} so that the claim receives full payment.'
                options: [Yes, 'Other (please specify)', Unable to determine]
            """)
        expectProblem(try copy.onlyProblem(), file: "Lexicons/queries.yaml", line: line, entry: "payment-test", contains: ["payment"])
    }

    @Test("a query template without 'other' and 'unable to determine' options is refused")
    func queryOptions() throws {
        let copy = try LexiconCopy()
        try copy.append("queries.yaml", """
              - kind: leading-test
                title: Leading
                question: 'Was {finding} bilateral?'
                options: [Yes]
            """)
        let problem = try #require(try copy.problems().first)
        expectProblem(problem, entry: "leading-test", contains: ["unable to determine"])
    }

    @Test("a rule raising a query kind that has no template is refused")
    func unknownQueryKind() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", conceptFile(coding: ["- codes: [M17.10]", "  query: handedness"]))
        let problem = try #require(try copy.problems().first)
        expectProblem(problem, entry: "knee-oa-test", contains: ["unknown query kind 'handedness'"])
    }

    @Test("malformed YAML names the file and the line")
    func malformedYAML() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", """
            concepts:
              - id: malformed
                kind: condition
                label: malformed
                patterns: ['knee pain', 'hip pain'
                examples:
                  match: ['knee pain']
            """)
        let problem = try copy.onlyProblem()
        expectProblem(problem, file: "Lexicons/conditions/zz-test.yaml")
        #expect(problem.message.hasPrefix("not valid YAML"))
        let line = try #require(problem.line)
        #expect((5...8).contains(line))
    }

    @Test("a missing required field names the file, the field and the line")
    func missingField() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", """
            concepts:
              - id: no-label
                kind: condition
                patterns: ['knee pain']
            """)
        let problem = try #require(try copy.problems().first)
        expectProblem(problem, file: "Lexicons/conditions/zz-test.yaml", line: 2, contains: ["missing field 'label'"])
    }

    @Test("a missing lexicon file is named")
    func missingFile() throws {
        let copy = try LexiconCopy()
        try FileManager.default.removeItem(at: copy.url("sections.yaml"))
        let problems = try copy.problems()
        #expect(problems.contains { $0.file == "Lexicons/sections.yaml" && $0.message.contains("missing") })
    }

    @Test("every problem is reported in one run, not just the first")
    func allProblemsAtOnce() throws {
        let copy = try LexiconCopy()
        try copy.write("conditions/zz-test.yaml", conceptFile(patterns: "['gonarthrosis(']", coding: ["- codes: [M17.1]"]))
        try copy.append("queries.yaml", """
              - kind: payment-test
                title: Payment
                question: 'Documenting {finding} avoids a denial.'
                options: ['Other (please specify)', Unable to determine]
            """)
        let problems = try copy.problems()
        #expect(problems.count == 3)
        #expect(problems.contains { $0.file == "Lexicons/queries.yaml" && $0.message.contains("denial") })
        #expect(problems.contains { $0.entry == "knee-oa-test" && $0.message.contains("pattern does not compile") })
        #expect(problems.contains { $0.entry == "knee-oa-test" && $0.message.contains("M17.1") })
        let error = LexiconError(problems: problems)
        #expect(error.description.split(separator: "\n").count == 3)
    }
}
