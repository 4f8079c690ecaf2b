import AIDJStore
import AIDJTaste
import Foundation
import Synchronization

/// The catalogue and feature space the server answers from, rebuilt when the library changes. A request passes
/// the database's data version (``DatabaseChanges``); while it is the one the state was checked at, the state is
/// used as is. When it moved (anything was committed), one request compares the tracks table's fingerprint and
/// rebuilds when that changed (an ingest running in another process shows up without a restart), while the
/// others wait for it. Listener taste scores are cached per listener beside it.
final class LibraryView: Sendable {
    struct State: Sendable {
        let catalogue: Catalogue
        let space: FeatureSpace
        let fingerprint: String
        /// Songs' listener-independent JSON, encoded on first use; goes with the catalogue it was made from.
        let songJSON = FragmentCache(limit: 20_000)
    }

    private struct Cache {
        var state: State?
        /// The data version `state` was last checked at.
        var version: Int?
        var taste: [Int64: (fingerprint: String, at: ContinuousClock.Instant, scores: [Int64: Double]?)] = [:]
    }

    let store: LibraryStore
    private let cache = Mutex(Cache())
    /// Held while one request checks the fingerprint or rebuilds.
    private let checking = Mutex(())
    private let clock = ContinuousClock()

    init(store: LibraryStore) { self.store = store }

    /// The state for a request that saw data version `version`.
    func current(version: Int) throws -> State {
        if let known = cache.withLock({ $0.version == version ? $0.state : nil }) { return known }
        return try checking.withLock { _ in
            // Another request may have checked this version while this one waited.
            if let known = cache.withLock({ $0.version == version ? $0.state : nil }) { return known }
            let fingerprint = try store.libraryFingerprint()
            if let state = cache.withLock({ $0.state }), state.fingerprint == fingerprint {
                cache.withLock { $0.version = version }
                return state
            }
            let snapshot = try LibrarySnapshot(store: store)
            let state = State(
                catalogue: Catalogue(
                    summaries: try store.trackSummaries(status: .analyzed), folders: try store.ingestRoots()),
                space: FeatureSpace(snapshot), fingerprint: fingerprint)
            cache.withLock {
                $0.state = state
                $0.version = version
                $0.taste = [:]
            }
            return state
        }
    }

    /// The listener's taste score per track (their model's P(liked); without a model, similarity to what they
    /// starred), nil when there is nothing to go on. Kept for 30 s, so a burst of requests scores once.
    func taste(for user: ServerUser, state: State) throws -> [Int64: Double]? {
        let now = clock.now
        if let hit = cache.withLock({ $0.taste[user.id] }), hit.fingerprint == state.fingerprint,
            now - hit.at < .seconds(30)
        {
            return hit.scores
        }
        let scorer = try TasteScorer(
            listener: user.name, listenerID: user.id, store: store, space: state.space, at: Date())
        var scores: [Int64: Double]?
        if case .none = scorer.source {
            scores = nil
        } else {
            scores = Dictionary(uniqueKeysWithValues: zip(state.space.snapshot.tracks.map(\.id), scorer.scores))
        }
        cache.withLock { $0.taste[user.id] = (state.fingerprint, now, scores) }
        return scores
    }

    /// Forgets a listener's cached taste (after they star, rate or play something).
    func tasteChanged(for user: ServerUser) { _ = cache.withLock { $0.taste.removeValue(forKey: user.id) } }
}
