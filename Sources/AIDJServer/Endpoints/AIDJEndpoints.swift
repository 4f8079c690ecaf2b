import AIDJAudio
import AIDJCore
import AIDJMixer
import AIDJStore
import AIDJTaste
import Foundation
import Hummingbird
import NIOPosix
import Synchronization

/// aidj's own methods, beside the protocol's (players ignore them; the web player uses them):
/// - `getRecommendations` (`mood`, `count`): the listener's recommendations with their reasons;
/// - `createMix` (`mood`, `minutes` 1–60, `arc`, `seed`): plans and renders a beat-matched mix for the listener,
///   answers with its tracklist and transitions, and keeps the newest 10 mixes;
/// - `streamMix` (`id`) and `getMixPlot` (`id`): the mix's FLAC (with byte ranges) and its SVG plot.
enum AIDJEndpoints {
    static let all: [(String, SubsonicAPI.Endpoint)] = [
        ("getRecommendations", getRecommendations),
        ("createMix", createMix),
        ("streamMix", { try await mixFile($0, suffix: "flac", contentType: "audio/flac") }),
        ("getMixPlot", { try await mixFile($0, suffix: "svg", contentType: "image/svg+xml") }),
    ]

    static func mood(_ call: Call) throws(SubsonicError) -> MoodRegion? {
        guard let name = call.parameters["mood"], !name.isEmpty else { return nil }
        do { return try MoodSpace.region(named: name) } catch {
            throw .invalid("mood", name, expected: MoodSpace.named.map(\.name).joined(separator: ", "))
        }
    }

    static func getRecommendations(_ call: Call) throws -> Reply {
        let count = try call.parameters.int("count", default: 20, in: 1...200)
        var recommender = Recommender()
        recommender.mood = try mood(call)
        recommender.limit = count
        let scorer = try TasteScorer(
            listener: call.user.name, listenerID: call.user.id, store: call.store, space: call.state.space, at: Date())
        let picks = recommender.recommend(scorer: scorer, space: call.state.space, at: Date())
        let builder = try call.builder()
        var e = SubsonicElement("recommendations")
        e.set("taste", scorer.explanation)
        e.add(
            list: "song",
            picks.compactMap { pick in
                call.catalogue.song(pick.id).map { song in
                    var element = builder.song(song)
                    element.set("score", pick.score)
                    element.add(strings: "reasons", pick.reasons)
                    return element
                }
            })
        return .one(e)
    }

    /// Where rendered mixes are kept: a folder beside the database.
    static func folder(_ call: Call) -> String { call.store.path + ".mixes" }

    /// One render at a time: a mix takes seconds of both cores.
    static let rendering = Mutex(false)
    static let keptMixes = 10

    static func createMix(_ call: Call) async throws -> Reply {
        guard let region = try mood(call) else { throw SubsonicError.missing("mood") }
        let minutes = try call.parameters.int("minutes", default: 10, in: 1...60)
        let arcName = call.parameters["arc"] ?? "flat"
        guard let arc = EnergyArc(rawValue: arcName) else {
            throw SubsonicError.invalid(
                "arc", arcName, expected: EnergyArc.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var request = MixRequest(mood: region, minutes: Double(minutes))
        request.arc = arc
        request.seed = UInt64(try call.parameters.int("seed", default: 1, in: 0...Int.max))
        if let scores = try call.api.view.taste(for: call.user, state: call.state) {
            request.listener = ListenerTaste(
                name: call.user.name, id: call.user.id, scores: scores, explanation: "taste of \(call.user.name)")
        }
        guard
            rendering.withLock({ busy in
                busy
                    ? false
                    : {
                        busy = true; return true
                    }()
            })
        else {
            throw SubsonicError(.generic, "another mix is being rendered: try again when it is done")
        }
        defer { rendering.withLock { $0 = false } }

        let folder = folder(call)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let id = UUID().uuidString.lowercased()
        let out = folder + "/" + id + ".flac"
        let snapshot = call.state.space.snapshot, store = call.store, listenerID = call.user.id
        let planner = MixPlanner(request: request)
        let plan: MixPlan
        do {
            plan = try await NIOThreadPool.singleton.runIfActive {
                let planned = try planner.plan(snapshot: snapshot, store: store)
                return try MixOutput.render(
                    MixRenderer(plan: planned), to: out, format: .flac16, title: "aidj mix: \(planned.mood)",
                    plot: folder + "/" + id + ".svg", listenerID: listenerID, store: store
                ).plan
            }
        } catch let error as MixError {
            throw SubsonicError(.generic, "\(error)")
        }
        prune(folder)
        var e = SubsonicElement("mix")
        e.set("id", id)
        e.set("mood", plan.mood)
        e.set("arc", plan.arc)
        e.set("duration", plan.durationS)
        e.set("loudness", plan.loudnessLUFS)
        e.set("truePeak", plan.truePeakDBTP)
        e.add(
            list: "track",
            plan.tracks.map { t in
                var track = SubsonicElement("track")
                track.set("id", String(t.id))
                track.set("title", call.catalogue.song(t.id)?.title ?? t.title)
                track.set("artist", call.catalogue.song(t.id)?.artist ?? t.artist)
                track.set("start", t.mixStartS)
                track.set("bpm", t.bpm)
                track.set("key", t.key)
                track.set("camelot", t.camelot)
                track.set("energy", t.energy)
                track.set("reason", t.reasons.mood)
                return track
            })
        e.add(
            list: "transition",
            plan.transitions.map { t in
                var transition = SubsonicElement("transition")
                transition.set("from", t.from)
                transition.set("to", t.to)
                transition.set("at", t.overlapStartS)
                transition.set("type", t.type.rawValue)
                transition.set("bars", t.bars)
                transition.set("reason", [t.reasons.key, t.reasons.tempo, t.reasons.energy].joined(separator: "; "))
                return transition
            })
        return .one(e)
    }

    /// Keeps the newest mixes; older files go.
    static func prune(_ folder: String) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder) else { return }
        let flacs = names.filter { $0.hasSuffix(".flac") }.compactMap { name -> (String, Date)? in
            let date = (try? manager.attributesOfItem(atPath: folder + "/" + name)[.modificationDate]) as? Date
            return date.map { (String(name.dropLast(5)), $0) }
        }
        for (stem, _) in flacs.sorted(by: { $0.1 > $1.1 }).dropFirst(keptMixes) {
            for suffix in ["flac", "svg", "json", "cue", "m3u8"] {
                try? manager.removeItem(atPath: folder + "/" + stem + "." + suffix)
            }
        }
    }

    /// A rendered mix's file by its id: a UUID, checked as one, so a request never names a path.
    static func mixFile(_ call: Call, suffix: String, contentType: String) async throws -> Reply {
        let id = try call.parameters.required("id")
        guard let uuid = UUID(uuidString: id) else { throw SubsonicError.notFound("mix", id) }
        let path = folder(call) + "/" + uuid.uuidString.lowercased() + "." + suffix
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return try await MediaEndpoints.file(call, path: path, headers: headers, what: "mix '\(id)'")
    }
}
