/// Writes provider queries by the AHIMA/ACDIS rules: the note's own indicators, an open,
/// non-leading question, the lexicon's options (which always include "other" and "unable to
/// determine"), and no word about payment — the templates are checked for that at load.
enum QueryWriter {
    static func write(kind: String, about: String, indicators: [Evidence], lexicon: Lexicon) -> ProviderQuery {
        let template = lexicon.queries[kind] ?? QueryTemplate(
            kind: kind, title: kind, question: "Please clarify the documentation for {finding}.",
            options: ["Other (please specify)", "Unable to determine"])
        let question = template.question.replacingOccurrences(of: "{finding}", with: about)
        var lines: [String] = ["Query: \(template.title)", "", "Clinical indicators in the record:"]
        for indicator in indicators {
            let place = indicator.section.map { "\($0), line \(indicator.line)" } ?? "line \(indicator.line)"
            lines.append("- \"\(indicator.text)\" (\(place))")
        }
        lines += ["", question, ""]
        lines += template.options.map { "[ ] \($0)" }
        return ProviderQuery(kind: kind, title: template.title, about: about, question: question,
                             options: template.options, indicators: indicators, text: lines.joined(separator: "\n"))
    }
}
