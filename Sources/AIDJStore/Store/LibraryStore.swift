public import Foundation
import GRDB

/// The aidj database: one SQLite file in WAL mode (readers never wait for the ingest writer), foreign keys on,
/// schema from the embedded `Migrations/*.sql`.
///
/// Every method that writes runs in one transaction, so a file's track row, features and beats appear together
/// or not at all, even if the process is killed midway.
public final class LibraryStore: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    ///
    /// - Throws: `StoreError` naming the file when it cannot be opened or migrated.
    public init(path: String) throws(StoreError) {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(path: path, reason: "cannot create folder '\(folder)': \(error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL with NORMAL sync: commits survive a process crash; only an OS crash may lose the last ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        // Another process opening the same new database at the same moment (an ingest starting while
        // `aidj tracks` runs) can make switching to WAL or migrating fail with SQLITE_BUSY before SQLite's busy
        // handler applies: retry for up to 10 s.
        let deadline = Date().addingTimeInterval(10)
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try SchemaMigrator.migrate(pool)
                self.pool = pool
                return
            } catch let error as DatabaseError
                where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && Date() < deadline
            {
                Thread.sleep(forTimeInterval: 0.05)
            } catch {
                throw StoreError(path: path, reason: StoreError.describe(error))
            }
        }
    }

    /// The default location: `$AIDJ_DB`, else `$XDG_DATA_HOME/aidj/library.sqlite`, else
    /// `~/.local/share/aidj/library.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["AIDJ_DB"], !explicit.isEmpty { return explicit }
        let dataHome =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return dataHome + "/aidj/library.sqlite"
    }

    /// Identifiers of the migrations applied to this database, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read { db in try SchemaMigrator.applied(db) }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw StoreError(path: path, reason: StoreError.describe(error)) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw StoreError(path: path, reason: StoreError.describe(error)) }
    }
}

/// A database failure, naming the file and SQLite's reason.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String

    public var description: String { "database '\(path)': \(reason)" }

    /// A stored value the code cannot read back (written by something else, or damaged).
    struct Corrupt: Error, CustomStringConvertible {
        let table: String
        let row: Int64
        let reason: String
        var description: String { "\(table) row \(row) holds an unreadable value: \(reason)" }
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError {
            return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "\(error)")"
        }
        return "\(error)"
    }
}
