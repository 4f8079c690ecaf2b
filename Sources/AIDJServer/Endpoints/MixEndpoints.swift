import AIDJMixer
import AIDJStore
import AIDJTaste
import Foundation

/// getSimilarSongs(2) (a player's "instant mix") and OpenSubsonic's sonicSimilarity extension:
/// getSonicSimilarTracks (`aidj similar`) and findSonicPath (the mix sequencer's smooth path).
enum MixEndpoints {
    static let all: [(String, SubsonicAPI.Endpoint)] = [
        ("getSimilarSongs", { try similarSongs($0, element: "similarSongs") }),
        ("getSimilarSongs2", { try similarSongs($0, element: "similarSongs2") }),
        ("getSonicSimilarTracks", sonicSimilar),
        ("findSonicPath", sonicPath),
    ]

    /// Songs near the seed (a song, or every song of an album or artist), nearest first; for a listener with a
    /// taste signal the nearest 4 × count are re-ranked by similarity × (0.4 + 0.6 · taste), as the mixer scores.
    static func similarSongs(_ call: Call, element: String) throws -> Reply {
        let id = try call.parameters.required("id")
        let count = try call.parameters.int("count", default: 50, in: 1...500)
        let catalogue = call.catalogue
        let seeds: [Int64]
        if let song = catalogue.song(parameter: id) {
            seeds = [song.id]
        } else if let album = catalogue.album(id) {
            seeds = album.songIDs
        } else if let artist = catalogue.artist(id) {
            seeds = artist.albumIDs.flatMap { catalogue.album($0)?.songIDs ?? [] }.filter {
                catalogue.song($0)?.artistID == artist.id
            }
        } else {
            throw SubsonicError.notFound("song, album or artist", id)
        }
        let space = call.state.space
        let seedIndices = seeds.compactMap { space.snapshot.index[$0] }
        let seedSet = Set(seeds)
        var near = space.snapshot.tracks.indices.filter { !seedSet.contains(space.snapshot.tracks[$0].id) }.map {
            i in (i, seedIndices.map { space.distance($0, i) }.min() ?? .infinity)
        }
        near.sort { ($0.1, $0.0) < ($1.1, $1.0) }
        var ranked = near.prefix(count).map { (id: space.snapshot.tracks[$0.0].id, score: -$0.1) }
        if let taste = try call.api.view.taste(for: call.user, state: call.state) {
            ranked = near.prefix(4 * count).map { i, d in
                let id = space.snapshot.tracks[i].id
                return (id: id, score: FeatureSpace.similarity(distance: d) * (0.4 + 0.6 * (taste[id] ?? 0.5)))
            }
            .sorted { $0.score > $1.score }.prefix(count).map { $0 }
        }
        let songs = ranked.compactMap { catalogue.song($0.id) }
        let builder = try call.builder()
        var e = SubsonicElement(element)
        e.add(list: "song", songs.map { builder.song($0) })
        return .one(e)
    }

    static func match(_ song: Catalogue.Song, similarity: Double, builder: ElementBuilder) -> SubsonicElement {
        var e = SubsonicElement("sonicMatch")
        e.add(builder.song(song, name: "entry"))
        e.set("similarity", (similarity * 10_000).rounded() / 10_000)
        return e
    }

    /// The nearest tracks in the feature space (what `aidj similar` lists), with similarity
    /// exp(−(d / 0.7)²) ∈ (0, 1]: 1 for the same sound.
    static func sonicSimilar(_ call: Call) throws -> Reply {
        let song = try call.song()
        let count = try call.parameters.int("count", default: 10, in: 1...500)
        let similar = SimilarTracks.nearest(to: song.id, in: call.state.space, limit: count)
        let songs = similar.compactMap { s in call.catalogue.song(s.id).map { ($0, s.distance) } }
        let builder = try call.builder()
        return .payload([
            .list(
                "sonicMatch",
                songs.map { match($0.0, similarity: FeatureSpace.similarity(distance: $0.1), builder: builder) })
        ])
    }

    /// A path from the start song to the end song that moves smoothly in tempo, key and energy (``SonicPath``);
    /// each entry's similarity is to the start song, as the extension defines it.
    static func sonicPath(_ call: Call) throws -> Reply {
        let start = try call.song("startSongId"), end = try call.song("endSongId")
        let count = try call.parameters.int("count", default: 25, in: 2...100)
        let space = call.state.space
        guard let from = space.snapshot.index[start.id], let to = space.snapshot.index[end.id] else {
            throw SubsonicError(.notFound, "song '\(start.id)' or '\(end.id)' has no stored features")
        }
        let path = SonicPath(maximumLength: count).find(in: space.snapshot.tracks, from: from, to: to) {
            space.distance($0, $1)
        }
        let songs = path.compactMap { i in call.catalogue.song(space.snapshot.tracks[i].id).map { ($0, i) } }
        let builder = try call.builder()
        return .payload([
            .list(
                "sonicMatch",
                songs.map {
                    match(
                        $0.0, similarity: FeatureSpace.similarity(distance: space.distance(from, $0.1)),
                        builder: builder)
                })
        ])
    }
}
