import FuzzSupport
import NoteCoder

/// The engine on arbitrary bytes as a note: every input is a report or a `NoteError`
/// (invalid UTF-8, too large, a match limit, the time limit), never a crash or a trap.
func fuzzNote(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let note = Note(id: "fuzz", bytes: FuzzSupport.bytes(start, count))
    do {
        let report = try FuzzSupport.engine.code(note)
        // Every piece of evidence must lie inside the note it quotes.
        for diagnosis in report.diagnoses {
            for evidence in diagnosis.evidence where evidence.start < 0 || evidence.end > count || evidence.start > evidence.end {
                fatalError("evidence \(evidence.start)..<\(evidence.end) outside a note of \(count) bytes")
            }
        }
    } catch {
        _ = error.description
    }
    return 0
}
