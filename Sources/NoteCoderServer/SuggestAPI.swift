import Foundation
import Hummingbird
import NoteCoder

/// The body of `POST /v1/suggest`.
struct SuggestRequest: Decodable {
    /// The note, as pasted.
    var text: String
    /// Date of service, `YYYY-MM-DD`; it wins over a date written in the note. Empty means none.
    var dateOfService: String?
    /// A name for the note in the report; `pasted` when absent.
    var id: String?
}

/// The JSON API: turns requests into engine calls and engine answers into responses.
///
/// Errors are Hummingbird `HTTPError`s with a message, which reach the client as
/// `{"error": {"message": "..."}}`. Messages never quote the note.
struct SuggestAPI: Sendable {
    let engine: Engine
    let maxBodyBytes: Int
    let workers: EngineWorkers

    func health() throws -> Response {
        struct Health: Encodable {
            var status = "ok"
            var concepts: Int
            var icd10cmEditions: [String]
            var procedureCodes: Int
            var maxBodyBytes: Int
            var maxNoteBytes: Int
            var workers: Int
            var running: Int
            var waiting: Int
        }
        let lexicon = engine.lexicon
        let health = Health(
            concepts: lexicon.concepts.count, icd10cmEditions: lexicon.icd10cm.editions.map(\.name),
            procedureCodes: lexicon.procedures.allCodes.count, maxBodyBytes: maxBodyBytes, maxNoteBytes: engine.maxNoteBytes,
            workers: workers.workers, running: workers.load.running, waiting: workers.load.waiting)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Self.json(try encoder.encode(health))
    }

    func suggest(_ request: Request, context: some RequestContext) async throws -> Response {
        // A page on another site can send `text/plain` without the browser asking this server
        // first; `application/json` it cannot. So only JSON is read.
        guard Self.isJSON(request.headers[.contentType]) else {
            throw HTTPError(.unsupportedMediaType, message: "send the note as JSON with Content-Type: application/json")
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            throw tooLarge()
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge()
        }
        // `?format=fhir` answers with the FHIR R4 Claim bundle, `?format=claim-csv` with the claim
        // rows, as `notecoder suggest --format` does; the report JSON otherwise.
        let format = request.uri.queryParameters["format"].map(String.init) ?? "json"
        guard ["json", "fhir", "claim-csv"].contains(format) else {
            throw HTTPError(.badRequest, message: "format must be json, fhir or claim-csv")
        }
        let body = try decode(Data(buffer.readableBytesView))
        var day: Day?
        if let date = body.dateOfService, !date.isEmpty {
            do {
                day = try Day(parsing: date)
            } catch {
                throw HTTPError(.badRequest, message: "dateOfService '\(date.prefix(40))' is not a date: \(error)")
            }
        }
        let id = body.id.map { String($0.prefix(120)) }.flatMap { $0.isEmpty ? nil : $0 } ?? "pasted"
        let note = Note(id: id, text: body.text, dateOfService: day)
        let report: Report
        let engine = engine
        do {
            // A matcher holds per-thread PCRE2 state, so each request makes its own.
            report = try await workers.run { try engine.code(note, matcher: engine.lexicon.makeMatcher()) }
        } catch is EngineWorkers.Busy {
            throw HTTPError(.serviceUnavailable, message: "the server is coding as many notes as it can take; try again shortly")
        } catch let error as NoteError {
            throw HTTPError(.unprocessableContent, message: error.description)
        }
        switch format {
        case "fhir":
            return Self.json(try FHIRClaimBundle.json(report), type: "application/fhir+json; charset=utf-8")
        case "claim-csv":
            return Self.json(Data(ClaimCSV.document(report).utf8), type: "text/csv; charset=utf-8")
        default:
            return Self.json(try report.jsonData())
        }
    }

    /// `GET /v1/code/{code}?date=YYYY-MM-DD`: what `notecoder code CODE --date` prints as JSON.
    func code(_ request: Request, context: some RequestContext) throws -> Response {
        let code = try context.parameters.require("code")
        var day: Day?
        if let date = request.uri.queryParameters["date"].map(String.init), !date.isEmpty {
            do {
                day = try Day(parsing: date)
            } catch {
                throw HTTPError(.badRequest, message: "date '\(date.prefix(40))' is not a date: \(error)")
            }
        }
        guard let facts = engine.lexicon.facts(about: code, on: day) else {
            throw HTTPError(.notFound, message: engine.lexicon.unknownCodeMessage(String(code.prefix(40))))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Self.json(try encoder.encode(facts))
    }

    static func onlyPost() -> HTTPError {
        var error = HTTPError(.methodNotAllowed, message: "send the note with POST")
        error.headers[.allow] = "POST"
        return error
    }

    /// Whether a Content-Type names JSON (`application/json`, with or without parameters).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return media == "application/json"
    }

    func tooLarge() -> HTTPError {
        HTTPError(.contentTooLarge, message: "the request body is over the limit of \(maxBodyBytes) bytes")
    }

    /// Decodes the body with messages that name the problem, never the note.
    func decode(_ data: Data) throws -> SuggestRequest {
        do {
            return try JSONDecoder().decode(SuggestRequest.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw HTTPError(.badRequest, message: "the JSON body has no '\(key.stringValue)' field")
        } catch let DecodingError.typeMismatch(type, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            let what = field.isEmpty ? "the body must be a JSON object" : "'\(field)' must be \(type == String.self ? "a string" : "\(type)")"
            throw HTTPError(.badRequest, message: what)
        } catch let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw HTTPError(.badRequest, message: "'\(field)' must not be null")
        } catch {
            throw HTTPError(.badRequest, message: "the body is not valid JSON: send {\"text\": \"...\", \"dateOfService\": \"YYYY-MM-DD\"}")
        }
    }

    static func json(_ data: Data, type: String = "application/json; charset=utf-8") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
