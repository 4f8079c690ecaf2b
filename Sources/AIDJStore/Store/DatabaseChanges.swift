import GRDB

/// A number that moves whenever anything commits to the database, in this process or another one: SQLite's
/// `PRAGMA data_version` on a read-only connection of its own, which never writes and so sees every commit as
/// another connection's. Caches of stored data compare it instead of reading their data again; one check is a
/// single statement step on an idle connection.
public final class DatabaseChanges: Sendable {
    private let queue: DatabaseQueue
    public let path: String

    /// Watches the database of `store` (which must exist: the store has opened and migrated it).
    public init(store: LibraryStore) throws(StoreError) {
        path = store.path
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: store.path, configuration: configuration)
        } catch {
            throw StoreError(path: store.path, reason: StoreError.describe(error))
        }
    }

    /// The current version: equal values mean nothing was committed in between.
    public func version() throws(StoreError) -> Int {
        do {
            return try queue.inDatabase { db in
                try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
            }
        } catch {
            throw StoreError(path: path, reason: StoreError.describe(error))
        }
    }
}
