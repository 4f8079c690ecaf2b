import AIDJStore
import Synchronization

/// What nearly every request reads about its listener, kept in memory while the database is unchanged: who they
/// are and their password (to check credentials), their API keys, their marks on songs (starred, rating, plays)
/// and their starred albums and artists.
///
/// ``refresh(version:)`` compares SQLite's data version (read once per request) and forgets everything when anything was
/// committed since, so a password changed, a key revoked or a song starred, by this server or by another
/// process (`aidj listener password`), is seen by the next request. A value loaded while a commit lands is only
/// kept when no refresh has seen that commit yet, and the next refresh drops it.
final class ListenerCache: Sendable {
    /// A listener who can log in, with the password in clear (token auth needs it), nil when they have none.
    struct Login: Sendable {
        let user: ServerUser
        let password: String?
    }

    private struct State {
        var version: Int?
        /// By name as sent; nil: no such listener.
        var logins: [String: Login?] = [:]
        /// By API key hash; nil: no such key.
        var keys: [String: ServerUser?] = [:]
        var marks: [Int64: [Int64: SongMarks]] = [:]
        var stars: [Int64: [CollectionStar]] = [:]
    }

    /// Entries per table before it is emptied (unknown names or keys sent at random cannot grow it for ever).
    static let maximumEntries = 4096

    let store: LibraryStore
    let credentials: Credentials
    private let state = Mutex(State())

    init(store: LibraryStore, credentials: Credentials) {
        self.store = store
        self.credentials = credentials
    }

    /// Forgets everything when the data version moved since the last call.
    func refresh(version: Int) {
        state.withLock { state in
            if state.version != version { state = State(version: version) }
        }
    }

    /// The listener called `name`, nil when there is none.
    func login(named name: String) throws -> Login? {
        try cached(\.logins, name) { () throws -> Login? in
            guard let listener = try store.listenerIdentity(named: name) else { return nil }
            let password = try store.sealedPassword(listenerID: listener.id).map { try credentials.open(sealed: $0) }
            return Login(user: ServerUser(id: listener.id, name: listener.name), password: password)
        }
    }

    /// The listener holding the API key whose hash is `hash`, nil when none does.
    func user(apiKeyHash hash: String) throws -> ServerUser? {
        try cached(\.keys, hash) { () throws -> ServerUser? in
            try store.listener(apiKeyHash: hash).map { ServerUser(id: $0.id, name: $0.name) }
        }
    }

    /// Every song the listener marked (starred, rated or played).
    func marks(of user: ServerUser) throws -> [Int64: SongMarks] {
        try cached(\.marks, user.id) { try store.songMarks(listenerID: user.id) }
    }

    /// The listener's starred albums and artists.
    func collectionStars(of user: ServerUser) throws -> [CollectionStar] {
        try cached(\.stars, user.id) { try store.collectionStars(listenerID: user.id) }
    }

    private func cached<Key: Hashable & Sendable, Value: Sendable>(
        _ table: WritableKeyPath<State, [Key: Value]> & Sendable, _ key: Key, load: () throws -> Value
    ) throws -> Value {
        let (hit, version) = state.withLock { state in (state[keyPath: table][key], state.version) }
        if let hit { return hit }
        let value = try load()
        state.withLock { state in
            guard state.version == version else { return }
            if state[keyPath: table].count >= Self.maximumEntries { state[keyPath: table].removeAll() }
            state[keyPath: table][key] = value
        }
        return value
    }
}
