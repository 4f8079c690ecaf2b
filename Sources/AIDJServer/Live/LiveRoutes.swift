import AIDJCore
import AIDJMixer
import AIDJStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/live/{mood}`: the endless mix of a mood as Ogg/Opus (`?format=mp3` for MP3 with ICY titles), and its
/// controls: `GET /live/{mood}/now`, `POST /live/{mood}/skip`, `POST /live/{mood}/like`. Every one needs the
/// API's credentials (Subsonic `u` with `t`+`s` or `p`, or `apiKey`) in the query or, for POST, a form body.
enum LiveRoutes {
    static func register(on router: Router<ServerContext>, api: SubsonicAPI, bodyLimit: Int) {
        router.get("/live/:mood") { request, context in
            await respond(request, context, api: api, bodyLimit: bodyLimit) { call in try await stream(call) }
        }
        router.get("/live/:mood/now") { request, context in
            await respond(request, context, api: api, bodyLimit: bodyLimit) { call in try now(call) }
        }
        router.post("/live/:mood/skip") { request, context in
            await respond(request, context, api: api, bodyLimit: bodyLimit) { call in try await skip(call) }
        }
        router.post("/live/:mood/like") { request, context in
            await respond(request, context, api: api, bodyLimit: bodyLimit) { call in try await like(call) }
        }
    }

    /// One authenticated live request.
    struct LiveCall {
        let api: SubsonicAPI
        let user: ServerUser
        let mood: MoodRegion
        let request: Request
        let state: LibraryView.State
        let channel: any Channel
    }

    static func respond(
        _ request: Request, _ context: ServerContext, api: SubsonicAPI, bodyLimit: Int,
        _ handler: (LiveCall) async throws -> Response
    ) async -> Response {
        do {
            var body: String?
            if request.method == .post {
                var request = request
                body = String(buffer: try await request.collectBody(upTo: bodyLimit))
            }
            let parameters = RequestParameters(query: request.uri.query, form: body)
            let name = context.parameters.get("mood") ?? ""
            let version: Int
            do { version = try api.changes.version() } catch { throw SubsonicError(.generic, "\(error)") }
            api.listeners.refresh(version: version)
            let user = try await api.authenticator.authenticate(parameters, address: context.remoteAddress)
            let mood: MoodRegion
            do { mood = try MoodSpace.region(named: name) } catch {
                throw SubsonicError(
                    .notFound,
                    "no mood '\(name.prefix(40))': one of \(MoodSpace.named.map(\.name).joined(separator: ", "))")
            }
            let state: LibraryView.State
            do { state = try api.view.current(version: version) } catch { throw SubsonicError(.generic, "\(error)") }
            return try await handler(
                LiveCall(api: api, user: user, mood: mood, request: request, state: state, channel: context.channel))
        } catch let error as SubsonicError {
            let status: HTTPResponse.Status =
                switch error.code {
                case .wrongCredentials, .invalidAPIKey, .conflictingMechanisms, .missingParameter: .unauthorized
                case .notFound: .notFound
                default: .badRequest
                }
            return json(["error": ["code": error.code.rawValue, "message": error.message]], status: status)
        } catch {
            return json(["error": ["code": 0, "message": "\(error)"]], status: .internalServerError)
        }
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The connected listeners' taste, averaged over those with a taste signal (nil when none has one).
    static func taste(of users: [ServerUser], call: LiveCall) -> [Int64: Double]? {
        let maps = users.compactMap { try? call.api.view.taste(for: $0, state: call.state) }
        guard !maps.isEmpty else { return nil }
        var sum: [Int64: Double] = [:]
        for map in maps { for (id, score) in map { sum[id, default: 0] += score } }
        return sum.mapValues { $0 / Double(maps.count) }
    }

    static func stream(_ call: LiveCall) async throws -> Response {
        let formatName = call.request.uri.queryParameters.get("format") ?? "opus"
        guard let format = LiveStation.Format(rawValue: formatName) else {
            throw SubsonicError.invalid("format", formatName, expected: "opus or mp3")
        }
        let station = try await call.api.live.station(call.mood)
        let asksICY = call.request.headers[HTTPField.Name("Icy-MetaData")!] == "1"
        let icy = format == .mp3 && asksICY
        let (id, audio) = station.listen(user: call.user, format: format, icy: icy)
        station.setTaste(taste(of: station.users, call: call))
        var headers = HTTPFields()
        headers[.contentType] = format == .opus ? "audio/ogg" : "audio/mpeg"
        headers[.cacheControl] = "no-cache, no-store"
        // ICY headers only for clients that speak ICY: VLC takes an icy-* header as a SHOUTcast server and
        // reconnects with its HTTP/1.0 ICY client, which stopped after 7 s of this chunked Ogg stream.
        if asksICY { headers[HTTPField.Name("icy-name")!] = "aidj live: \(call.mood.name)" }
        if icy { headers[HTTPField.Name("icy-metaint")!] = String(LiveStation.icyInterval) }
        // A client that takes nothing for as long as its queue holds is hung up: the station drops it then, but a
        // write into its full socket would wait for ever, and hold a graceful shutdown with it.
        let channel = call.channel, limit = station.stallLimit
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer {
                    station.leave(id)
                    station.setTaste(taste(of: station.users, call: call))
                }
                for await buffer in audio {
                    try await channel.closing(ifStalledFor: limit) { try await writer.write(buffer) }
                }
                try await channel.closing(ifStalledFor: limit) { try await writer.finish(nil) }
            })
    }

    static func describe(_ entry: LiveMix.Entry?) -> Any {
        guard let entry else { return NSNull() }
        let t = entry.track
        return [
            "id": String(t.id), "number": entry.number, "title": t.title ?? "", "artist": t.artist ?? "",
            "bpm": (t.bpm * 10).rounded() / 10, "key": t.key.map { $0 as Any } ?? NSNull(),
            "camelot": t.camelot.map { $0 as Any } ?? NSNull(),
            "energy": (t.energy * 100).rounded() / 100, "why": entry.why,
        ] as [String: Any]
    }

    static func now(_ call: LiveCall) throws -> Response {
        guard let station = call.api.live.running(call.mood.name) else {
            return json(["mood": call.mood.name, "playing": false, "listeners": 0])
        }
        let status = station.status()
        let current = status.entries.first { $0.number == status.onAir }
        let next = status.entries.first { $0.number == status.onAir + 1 }
        var object: [String: Any] = [
            "mood": call.mood.name, "playing": true, "listeners": status.listeners,
            "stream_s": (status.clockS * 100).rounded() / 100, "track": describe(current), "next": describe(next),
            "buffer_s": (status.bufferS * 100).rounded() / 100, "underruns": status.underruns,
        ]
        if let onAirS = status.onAirS { object["position_s"] = ((status.clockS - onAirS) * 100).rounded() / 100 }
        return json(object)
    }

    static func skip(_ call: LiveCall) async throws -> Response {
        guard let station = call.api.live.running(call.mood.name) else {
            throw SubsonicError(.notFound, "the \(call.mood.name) stream is not playing")
        }
        let status = station.status()
        if let onAir = status.entries.first(where: { $0.number == status.onAir }) {
            try? call.api.store.recordEvent(
                listenerID: call.user.id, trackID: onAir.track.id, kind: .skip, source: "live")
            call.api.view.tasteChanged(for: call.user)
        }
        guard let outcome = await station.skip() else {
            throw SubsonicError(.notFound, "the \(call.mood.name) stream has ended")
        }
        switch outcome {
        case .echoOut(let at):
            return json(["skipped": true, "transition_s": (at * 100).rounded() / 100, "stream_s": status.clockS])
        case .alreadyLeaving:
            return json(["skipped": true, "already_leaving": true, "stream_s": status.clockS])
        }
    }

    static func like(_ call: LiveCall) async throws -> Response {
        guard let station = call.api.live.running(call.mood.name) else {
            throw SubsonicError(.notFound, "the \(call.mood.name) stream is not playing")
        }
        let status = station.status()
        guard let onAir = status.entries.first(where: { $0.number == status.onAir }) else {
            throw SubsonicError(.notFound, "nothing is on air on \(call.mood.name) yet")
        }
        do {
            try call.api.store.starSongs(listenerID: call.user.id, trackIDs: [onAir.track.id], source: "live")
        } catch { throw SubsonicError(.generic, "\(error)") }
        call.api.view.tasteChanged(for: call.user)
        station.raise(LiveStations.boost(liking: onAir.track.id, in: call.state.space))
        return json(["liked": String(onAir.track.id), "title": onAir.track.title ?? ""])
    }
}

/// getInternetRadioStations: one station per named mood, so players list the live streams as radio. A station's
/// `streamUrl` carries the caller's own credentials (the player plays it as a plain URL and adds none).
enum RadioEndpoints {
    static let all: [(String, SubsonicAPI.Endpoint)] = [("getInternetRadioStations", stations)]

    static func stations(_ call: Call) throws -> Reply {
        let authority = call.request.head.authority ?? "127.0.0.1"
        var query = URLComponents()
        query.queryItems = ["u", "t", "s", "p", "apiKey", "v", "c"].compactMap { name in
            call.parameters[name].map { URLQueryItem(name: name, value: $0) }
        }
        let credentials = query.percentEncodedQuery.map { "?" + $0 } ?? ""
        var e = SubsonicElement("internetRadioStations")
        e.add(
            list: "internetRadioStation",
            MoodSpace.named.map { mood in
                var station = SubsonicElement("internetRadioStation")
                station.set("id", "live-" + mood.name)
                station.set("name", "aidj live: \(mood.name)")
                station.set("streamUrl", "http://\(authority)/live/\(mood.name)\(credentials)")
                station.set("homePageUrl", "http://\(authority)/")
                return station
            })
        return .one(e)
    }
}
