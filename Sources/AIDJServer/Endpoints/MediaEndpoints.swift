import AIDJAudio
import Foundation
import Hummingbird

/// stream, download and getCoverArt: files by id only (a path in a request is never opened), served as they are
/// on disk with HTTP byte ranges.
enum MediaEndpoints {
    static let all: [(String, SubsonicAPI.Endpoint)] = [
        ("stream", { try await serve($0, download: false) }),
        ("download", { try await serve($0, download: true) }),
        ("getCoverArt", getCoverArt),
    ]

    /// The original file: aidj does not transcode, so `format` and `maxBitRate` are accepted and the file is
    /// sent as stored (clients read `contentType` and `suffix` from the song).
    static func serve(_ call: Call, download: Bool) async throws -> Reply {
        let song = try call.song()
        var headers = HTTPFields()
        headers[.contentType] = song.contentType
        if download {
            let name = (song.path as NSString).lastPathComponent.replacingOccurrences(of: "\"", with: "'")
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        }
        return try await file(call, path: song.path, headers: headers, what: "song '\(song.id)'")
    }

    /// Cover art by song, album or artist id. A song answers with the picture embedded in its file; then (and
    /// for an album) the album's folder image (`cover.jpg`, `folder.png`, …), then the first picture embedded in
    /// one of its songs; an artist with their first album that has art. Sent as stored (`size` is not
    /// honoured: clients scale). None: HTTP 404 with error 70.
    static func getCoverArt(_ call: Call) async throws -> Reply {
        let id = try call.parameters.required("id")
        let catalogue = call.catalogue
        var candidates: [Catalogue.Song] = []
        var album: Catalogue.Album?
        if let song = catalogue.song(parameter: id) {
            candidates.append(song)
            album = catalogue.album(song.albumID)
        } else if let found = catalogue.album(id) {
            album = found
        } else if let artist = catalogue.artist(id) {
            album = catalogue.coverArtID(artist: artist).flatMap { catalogue.album($0) }
        }
        var headers = HTTPFields()
        headers[.cacheControl] = "max-age=86400"
        for song in candidates where song.hasEmbeddedArt != false {
            if let reply = embedded(song.path, headers: headers) { return reply }
        }
        if let path = album?.coverPath {
            headers[.contentType] = path.lowercased().hasSuffix(".png") ? "image/png" : "image/jpeg"
            return try await file(call, path: path, headers: headers, what: "cover art '\(id)'")
        }
        for songID in album?.embeddedArtSongIDs ?? [] where songID != candidates.first?.id {
            if let song = catalogue.song(songID), let reply = embedded(song.path, headers: headers) { return reply }
        }
        return .media(
            call.api.envelope(
                ok: false, [.element(SubsonicError.notFound("cover art", id).element)], call.parameters.format,
                status: .notFound))
    }

    /// The picture embedded in the file at `path`, nil when it has none or cannot be read (gone since the ingest).
    static func embedded(_ path: String, headers: HTTPFields) -> Reply? {
        guard let picture = try? EmbeddedPicture.read(path: path) else { return nil }
        var headers = headers
        headers[.contentType] = picture.mimeType
        headers[.contentLength] = String(picture.data.count)
        return .media(
            Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: picture.data))))
    }

    /// The file, whole or the byte range the request asks for (`Range: bytes=a-b`, `a-`, `-n`).
    static func file(_ call: Call, path: String, headers: HTTPFields, what: String) async throws -> Reply {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            // Deleted or moved since the last ingest.
            throw SubsonicError(.notFound, "\(what): file is gone since the last ingest")
        }
        let size = Int(info.st_size)
        var headers = headers
        headers[.acceptRanges] = "bytes"
        var status = HTTPResponse.Status.ok
        var range = 0...max(0, size - 1)
        if let header = call.request.headers[.range] {
            switch ByteRange.parse(header, size: size) {
            case .whole:
                break
            case .unsatisfiable:
                headers[.contentRange] = "bytes */\(size)"
                headers[.contentLength] = "0"
                return .media(Response(status: .rangeNotSatisfiable, headers: headers))
            case .range(let r):
                range = r
                status = .partialContent
                headers[.contentRange] = "bytes \(r.lowerBound)-\(r.upperBound)/\(size)"
            }
        }
        if size == 0 {
            headers[.contentLength] = "0"
            return .media(Response(status: .ok, headers: headers))
        }
        headers[.contentLength] = String(range.count)
        let body = try await FileIO().loadFile(path: path, range: range, context: call.context)
        return .media(Response(status: status, headers: headers, body: body))
    }
}

/// An HTTP `Range` header for one byte range (RFC 9110 §14.1.2). Several ranges, or a header that does not parse,
/// fall back to the whole file, as the RFC allows.
enum ByteRange: Equatable {
    case whole
    case range(ClosedRange<Int>)
    case unsatisfiable

    static func parse(_ header: String, size: Int) -> ByteRange {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes="), !text.contains(",") else { return .whole }
        let spec = text.dropFirst(6).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .whole }
        let first = parts[0].trimmingCharacters(in: .whitespaces)
        let last = parts[1].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            // The last n bytes.
            guard let n = Int(last), n >= 0 else { return .whole }
            guard n > 0, size > 0 else { return .unsatisfiable }
            return .range(max(0, size - n)...(size - 1))
        }
        guard let start = Int(first), start >= 0 else { return .whole }
        guard start < size else { return .unsatisfiable }
        if last.isEmpty { return .range(start...(size - 1)) }
        guard let end = Int(last), end >= start else { return .whole }
        return .range(start...min(end, size - 1))
    }
}
