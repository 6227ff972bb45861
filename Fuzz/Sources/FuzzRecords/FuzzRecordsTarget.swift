import Foundation
import FuzzSupport
import NoteCoder

/// The batch readers on arbitrary bytes as an export file: JSON Lines, FHIR NDJSON and Bundles,
/// CSV, HL7 v2 and C-CDA. The first byte picks the format (the rest is the file), so one corpus
/// mutates across all of them. Every run must end in a result or a `BatchError`; every record is
/// accounted for (coded, failed or skipped), never lost.
func fuzzRecords(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let formats: [BatchInputFormat] = [.auto, .jsonl, .fhir, .csv, .hl7, .ccda]
    let all = FuzzSupport.bytes(start, count)
    guard let selector = all.first else { return 0 }
    let format = formats[Int(selector) % formats.count]
    let folder = FuzzSupport.scratch
    let input = folder.appendingPathComponent(format == .csv ? "in.csv" : "in.jsonl")
    let out = folder.appendingPathComponent("out.jsonl")
    let errors = folder.appendingPathComponent("out.errors.csv")
    do {
        try Data(all.dropFirst()).write(to: input)
    } catch {
        return 0
    }
    let configuration = BatchConfiguration(
        input: BatchInput(path: input.path, format: format),
        output: BatchOutput(results: out.path, format: .jsonl, errors: errors.path),
        jobs: 1)
    do throws(BatchError) {
        let result = try BatchRunner(engine: FuzzSupport.engine, configuration: configuration).run()
        let summary = result.summary
        if summary.coded + summary.failed + summary.skipped != summary.records {
            fatalError("\(summary.records) records, but \(summary.coded) coded, \(summary.failed) failed, \(summary.skipped) skipped")
        }
    } catch {
        _ = error.description
    }
    return 0
}
