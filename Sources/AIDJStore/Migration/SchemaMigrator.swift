import AIDJMigrations
import GRDB

/// Applies the embedded `Migrations/*.sql` in order, each recorded in `grdb_migrations` (GRDB's table, so GRDB's
/// own tools read the state).
///
/// When something is pending, checking again and applying happen in one `BEGIN IMMEDIATE` transaction: a second process
/// opening the same new database waits for the first to finish and then finds nothing to do. (GRDB's
/// `DatabaseMigrator` checks and applies in separate steps, and two processes starting at once both tried to
/// create the tables: "table tracks already exists".)
enum SchemaMigrator {
    /// Applies every pending migration, or those up to and including `last` (tests migrate step by step).
    static func migrate(_ pool: DatabasePool, through last: String? = nil) throws {
        let wanted = SchemaMigrations.all.filter { last == nil || $0.identifier <= last! }
        // Up to date (the usual case): a read, so opening never waits for a writer such as a running ingest.
        if try pool.read({ db in try applied(db) }) == wanted.map(\.identifier) { return }
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                let applied = try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations")
                for migration in wanted where !applied.contains(migration.identifier) {
                    try db.execute(sql: migration.sql)
                    try db.execute(
                        sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.identifier])
                }
                return .commit
            }
        }
    }

    static func applied(_ db: Database) throws -> [String] {
        guard try db.tableExists("grdb_migrations") else { return [] }
        let applied = try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations")
        return SchemaMigrations.all.map(\.identifier).filter(applied.contains)
    }
}
