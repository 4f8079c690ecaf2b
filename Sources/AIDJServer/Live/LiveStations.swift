import AIDJCore
import AIDJMixer
import AIDJStore
import AIDJTaste
import Foundation
import Synchronization

/// The live stations, one per mood, started by their first listener and ended after a minute without one.
final class LiveStations: Sendable {
    struct Settings: Sendable {
        /// Stream seconds per wall second (1 for people; tests and benchmarks run faster).
        var pace = 1.0
        /// Seconds the render keeps ahead of what listeners hear: room for a deck's render without an underrun.
        var lead = 8.0
    }

    let store: LibraryStore
    let settings: Settings
    private let stations = Mutex<[String: LiveStation]>([:])

    init(store: LibraryStore, settings: Settings) {
        self.store = store
        self.settings = settings
    }

    /// The running station of a mood, started if needed; waits for its first audio.
    ///
    /// - Throws: ``SubsonicError`` naming why the mood cannot be streamed (nothing fits it, …).
    func station(_ mood: MoodRegion) async throws(SubsonicError) -> LiveStation {
        let store = self.store
        let station = stations.withLock { all -> LiveStation in
            if let running = all[mood.name], !running.isStopped { return running }
            let station = LiveStation(mood: mood, pace: settings.pace, lead: settings.lead) {
                return try LiveMix(
                    request: LiveMix.streamRequest(mood: mood), snapshot: LibrarySnapshot(store: store), store: store)
            }
            all[mood.name] = station
            station.start()
            return station
        }
        if let failure = await station.ready() {
            throw SubsonicError(.notFound, "no live stream for \(mood.name): \(failure)")
        }
        return station
    }

    /// The station of a mood if it runs.
    func running(_ mood: String) -> LiveStation? {
        stations.withLock { all in all[mood].flatMap { $0.isStopped ? nil : $0 } }
    }

    var all: [LiveStation] { stations.withLock { Array($0.values) } }

    func stopAll() {
        for station in stations.withLock({ Array($0.values) }) { station.stop() }
    }

    /// A like for `trackID`: every running station raises the tracks that sound like it for the rest of its
    /// session, by 0.5 × similarity (1 for the same sound).
    static func boost(liking trackID: Int64, in space: FeatureSpace) -> [Int64: Double] {
        guard let liked = space.snapshot.index[trackID] else { return [:] }
        var boost: [Int64: Double] = [:]
        for (j, track) in space.snapshot.tracks.enumerated() where j != liked {
            let b = 0.5 * FeatureSpace.similarity(distance: space.distance(liked, j))
            if b > 0.01 { boost[track.id] = b }
        }
        return boost
    }

    /// A star or a submitted scrobble through the API counts as a like on the stations playing that track.
    func liked(_ trackIDs: [Int64], space: FeatureSpace) {
        for station in all {
            let status = station.status()
            guard let onAir = status.entries.first(where: { $0.number == status.onAir }),
                trackIDs.contains(onAir.track.id)
            else { continue }
            station.raise(Self.boost(liking: onAir.track.id, in: space))
        }
    }
}
