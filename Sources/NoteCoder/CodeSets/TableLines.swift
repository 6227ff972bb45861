/// The lines of a code table file, numbered from 1, for every table under `codes/` (the CMS
/// tables and the ICD-10-CM editions).
///
/// LF, CRLF and a lone CR each end a line. A table saved by a Windows or old Mac editor must read
/// exactly as it does saved on Linux: a line end not recognised leaves a CR in a row's last field
/// or glues every row into one, and the edits of that table are gone without a word.
///
/// CSV.swift, the CSV reader of the build, is not used here: it would take a `"` at the start of
/// a field as an opening quote and read on across line ends to the next one, while the CMS files
/// are plain tab-separated text whose descriptors may hold a quote (inches).
struct TableLines: Sequence, IteratorProtocol {
    private let bytes: [UInt8]
    private var start = 0
    private var number = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next line without its line end. A line end closes the line before it, so a file that
    /// ends with one gives no empty line after it; a blank line inside the file is given, empty.
    mutating func next() -> (number: Int, bytes: ArraySlice<UInt8>)? {
        guard start < bytes.count else { return nil }
        var end = start
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
        let line = bytes[start..<end]
        number += 1
        start = end + 1
        if end < bytes.count, bytes[end] == 0x0D, start < bytes.count, bytes[start] == 0x0A { start += 1 }
        return (number, line)
    }
}

/// How many data rows a code table gave, as `lexicon check` prints it: a table that reads as
/// nothing is as wrong as one that cannot be read, and only a count shows it.
public struct TableRowCount: Sendable, Equatable {
    /// The file as problems name it (`Lexicons/codes/cms/…`).
    public var file: String
    public var rows: Int
}
