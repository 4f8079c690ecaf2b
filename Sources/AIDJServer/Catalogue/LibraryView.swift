import AIDJStore
import AIDJTaste
import Foundation
import Synchronization

/// The catalogue and feature space the server answers from, rebuilt when the library changes: every request
/// may look at the store's fingerprint, at most once per `recheckInterval`, and a changed fingerprint rebuilds
/// both (an ingest running in another process shows up without a restart). Listener taste scores are cached
/// the same way, per listener.
final class LibraryView: Sendable {
    struct State: Sendable {
        let catalogue: Catalogue
        let space: FeatureSpace
        let fingerprint: String
    }

    private struct Cache {
        var state: State?
        var checkedAt: ContinuousClock.Instant?
        var taste: [Int64: (fingerprint: String, at: ContinuousClock.Instant, scores: [Int64: Double]?)] = [:]
    }

    let store: LibraryStore
    let recheckInterval: Duration
    private let cache = Mutex(Cache())
    private let clock = ContinuousClock()

    init(store: LibraryStore, recheckInterval: Duration = .seconds(1)) {
        self.store = store
        self.recheckInterval = recheckInterval
    }

    func current() throws -> State {
        let now = clock.now
        let known = cache.withLock { cache -> State? in
            guard let state = cache.state, let checked = cache.checkedAt, now - checked < recheckInterval else {
                return nil
            }
            return state
        }
        if let known { return known }
        let fingerprint = try store.libraryFingerprint()
        if let state = cache.withLock({ $0.state }), state.fingerprint == fingerprint {
            cache.withLock { $0.checkedAt = now }
            return state
        }
        let snapshot = try LibrarySnapshot(store: store)
        let state = State(
            catalogue: Catalogue(
                summaries: try store.trackSummaries(status: .analyzed), folders: try store.ingestRoots()),
            space: FeatureSpace(snapshot), fingerprint: fingerprint)
        cache.withLock {
            $0.state = state
            $0.checkedAt = now
            $0.taste = [:]
        }
        return state
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
