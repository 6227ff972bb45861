extension CodedNote {
    /// Reduces an engine report to the gold shape. Every suggested code is kept, including
    /// those pending a query: FORMAT.md has gold list what is billed if the provider does not
    /// answer, so a pending code is a prediction like any other.
    public init(report: Report) {
        self.init(
            id: report.id,
            dateOfService: report.dateOfService,
            diagnoses: report.diagnoses.map(\.code),
            procedures: report.procedures.map {
                CodedLine(code: $0.code, modifiers: $0.modifiers, units: $0.units, diagnoses: $0.diagnoses)
            },
            queries: report.queries.map(\.kind))
    }
}
