/// Line breaks as the reading stage knows them. Old exports (classic Mac OS editors, some
/// dictation systems) end lines with a lone CR; the readers of sections, sentences and line
/// numbers, and the header patterns' `^` and `$`, break lines at LF (with or without a CR before
/// it). Unseen, a lone CR made a whole note "line 1" with no sections, so history read as
/// current and a past carpal tunnel was coded.
///
/// Each lone CR becomes an LF, byte for byte: offsets and lengths stay those of the note as
/// written, so evidence `start`/`end` still point into the original; only a quote that spans a
/// break shows it as LF. A CR followed by LF is left alone, so LF and CRLF notes are unchanged.
enum LineBreaks {
    static func normalized(_ note: Note) -> Note {
        guard let first = note.bytes.firstIndex(of: 0x0D) else { return note }
        var bytes = note.bytes
        var changed = false
        for index in first..<bytes.count where bytes[index] == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A) {
            bytes[index] = 0x0A
            changed = true
        }
        guard changed else { return note }
        var normalized = note
        normalized.bytes = bytes
        return normalized
    }
}
