import AIDJStore
import Foundation
import Hummingbird

/// What an endpoint answers: elements inside a `subsonic-response`, or a response of its own (media).
enum Reply: Sendable {
    case payload([SubsonicElement.Child])
    case media(Response)

    static let empty = Reply.payload([])
    static func one(_ element: SubsonicElement) -> Reply { .payload([.element(element)]) }
}

/// One authenticated API call.
struct Call: Sendable {
    let parameters: RequestParameters
    let user: ServerUser
    let state: LibraryView.State
    let request: Request
    let context: ServerContext
    let api: SubsonicAPI

    var catalogue: Catalogue { state.catalogue }
    var store: LibraryStore { api.store }

    /// Element shapes with the listener's marks (starred songs, ratings, plays; starred albums and artists).
    func builder() throws -> ElementBuilder {
        let marks = try api.listeners.marks(of: user)
        var stars: [String: String] = [:]
        for star in try api.listeners.collectionStars(of: user) {
            stars[star.kind.rawValue + ":" + star.itemID] = star.starredAt
        }
        return ElementBuilder(
            catalogue: catalogue, marks: marks, collectionStars: stars,
            songJSON: parameters.format == .json ? state.songJSON : nil)
    }

    func song(_ name: String = "id") throws(SubsonicError) -> Catalogue.Song {
        let id = try parameters.required(name)
        guard let song = catalogue.song(parameter: id) else { throw .notFound("song", id) }
        return song
    }
}

/// The OpenSubsonic API: authentication, dispatch by method name, and the response envelope.
struct SubsonicAPI: Sendable {
    typealias Endpoint = @Sendable (Call) async throws -> Reply

    let store: LibraryStore
    let view: LibraryView
    let listeners: ListenerCache
    /// Read once per request: the caches in `view` and `listeners` hold while it stays put.
    let changes: DatabaseChanges
    let authenticator: Authenticator
    let serverVersion: String
    let nowPlaying: NowPlaying
    let live: LiveStations

    /// Endpoints that answer without credentials.
    static let open: Set<String> = ["ping", "getLicense", "getOpenSubsonicExtensions"]

    static let endpoints: [String: Endpoint] = {
        var table: [String: Endpoint] = [:]
        for (name, endpoint) in SystemEndpoints.all { table[name] = endpoint }
        for (name, endpoint) in BrowsingEndpoints.all { table[name] = endpoint }
        for (name, endpoint) in MediaEndpoints.all { table[name] = endpoint }
        for (name, endpoint) in PlaylistEndpoints.all { table[name] = endpoint }
        for (name, endpoint) in ListeningEndpoints.all { table[name] = endpoint }
        for (name, endpoint) in MixEndpoints.all { table[name] = endpoint }
        for (name, endpoint) in AIDJEndpoints.all { table[name] = endpoint }
        for (name, endpoint) in RadioEndpoints.all { table[name] = endpoint }
        return table
    }()

    func respond(method rawMethod: String, request: Request, body: String?, context: ServerContext) async -> Response {
        let method = rawMethod.hasSuffix(".view") ? String(rawMethod.dropLast(5)) : rawMethod
        let parameters = RequestParameters(query: request.uri.query, form: body)
        let format = parameters.format
        do {
            guard let endpoint = Self.endpoints[method] else {
                throw SubsonicError(.notFound, "unknown method '\(method.prefix(60))'")
            }
            let version: Int
            do { version = try changes.version() } catch { throw SubsonicError(.generic, "\(error)") }
            listeners.refresh(version: version)
            let user: ServerUser
            if Self.open.contains(method) && parameters["u"] == nil && parameters["apiKey"] == nil {
                user = ServerUser(id: 0, name: "")
            } else {
                user = try await authenticator.authenticate(parameters, address: context.remoteAddress)
            }
            let state: LibraryView.State
            do { state = try view.current(version: version) } catch { throw SubsonicError(.generic, "\(error)") }
            let call = Call(
                parameters: parameters, user: user, state: state, request: request, context: context, api: self)
            switch try await endpoint(call) {
            case .payload(let payload): return envelope(ok: true, payload, format)
            case .media(let response): return response
            }
        } catch let error as SubsonicError {
            return envelope(ok: false, [.element(error.element)], format)
        } catch {
            return envelope(ok: false, [.element(SubsonicError(.generic, "\(error)").element)], format)
        }
    }

    func envelope(
        ok: Bool, _ payload: [SubsonicElement.Child], _ format: SubsonicFormat, status: HTTPResponse.Status = .ok
    ) -> Response {
        let bytes = SubsonicEncoding.document(
            status: ok, payload: payload, format: format, serverVersion: serverVersion)
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
