import AIDJMigrations
import AIDJTestSupport
import Foundation
import GRDB
import Testing

@testable import AIDJStore

@Suite("Schema migrations")
struct SchemaMigrationsTests {
    static let migrationsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Migrations").path

    @Test("every SQL file in Migrations/ is embedded, in order, with the file's exact text")
    func embeddedMatchesFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.migrationsFolder)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(SchemaMigrations.all.map { $0.identifier + ".sql" } == files)
        for migration in SchemaMigrations.all {
            let text = try String(
                contentsOfFile: Self.migrationsFolder + "/" + migration.identifier + ".sql", encoding: .utf8)
            #expect(migration.sql == text)
        }
    }

    @Test("an empty database migrates step by step to the full schema, and reopening applies nothing twice")
    func migratesEmptyDatabase() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("nested/folder/library.sqlite")
        let store = try LibraryStore(path: path)
        #expect(try store.appliedMigrations() == SchemaMigrations.all.map(\.identifier))
        let tables = try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["tracks", "features", "beats", "listeners", "listener_events", "ingest_runs", "ingest_failures"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        let journal = try store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let reopened = try LibraryStore(path: path)
        #expect(try reopened.appliedMigrations() == SchemaMigrations.all.map(\.identifier))
    }

    @Test("many connections opening a new database at once all succeed (WAL switch and migration under contention)")
    func concurrentOpen() {
        for round in 0..<5 {
            let folder = TemporaryDirectory()
            let path = folder.file("race\(round).sqlite")
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do { _ = try LibraryStore(path: path) } catch { failures.add("\(error)") }
            }
            #expect(failures.list.isEmpty, "\(failures.list)")
        }
    }

    final class Failures: @unchecked Sendable {
        private var items: [String] = []
        private let lock = NSLock()
        func add(_ item: String) { lock.withLock { items.append(item) } }
        var list: [String] { lock.withLock { items } }
    }

    @Test("an unwritable location fails with a one-line error naming the file")
    func unwritable() {
        #expect {
            _ = try LibraryStore(path: "/proc/aidj/library.sqlite")
        } throws: { error in
            "\(error)".contains("/proc/aidj/library.sqlite") && !"\(error)".contains("\n")
        }
    }

    @Test("the default path follows AIDJ_DB, then XDG_DATA_HOME, then HOME")
    func defaultPath() {
        #expect(LibraryStore.defaultPath(environment: ["AIDJ_DB": "/x/y.sqlite", "HOME": "/h"]) == "/x/y.sqlite")
        #expect(
            LibraryStore.defaultPath(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]) == "/d/aidj/library.sqlite")
        #expect(LibraryStore.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/share/aidj/library.sqlite")
    }
}
