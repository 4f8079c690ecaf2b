import AIDJCore
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

    /// The tables each migration adds (and the columns it drops), checked after each step.
    static let addedTables: [String: [String]] = [
        "0001_library": [
            "tracks", "features", "beats", "listeners", "listener_events", "ingest_runs", "ingest_failures",
        ],
        "0002_models": ["models"],
        "0003_genre_predictions": ["genre_predictions"],
        "0004_mixes": ["mixes", "mix_tracks"],
        "0005_tempo_alternates": ["tempo_alternates"],
        "0006_tempo_sections": ["tempo_sections"],
        "0007_track_sections": ["track_sections"],
        "0008_assessments": ["assessments"],
        "0009_server": ["listener_credentials", "api_keys", "collection_stars", "playlists", "playlist_entries"],
        "0010_embedded_art": [],
        "0011_optional_key": [],
    ]

    /// A track and its features row as 0010 and later store them; `key` is the SQL of key_tonic, key_mode and
    /// key_confidence.
    static func insertAnalysed(_ db: Database, id: Int, key: String, vector: [Float]) throws {
        try db.execute(
            sql: """
                INSERT INTO tracks (id, path, size_bytes, mtime_ns, content_hash, status)
                VALUES (\(id), '/m/\(id).flac', 1, 1, 'h\(id)', 'analyzed');
                INSERT INTO features (track_id, bpm, bpm_confidence, key_tonic, key_mode, key_confidence,
                    loudness_range_lu, energy, valence, danceability, first_sound_s, intro_end_s, outro_start_s,
                    last_sound_s, vector_version, vector)
                VALUES (\(id), 128, 0.9, \(key), 3, 0.8, 0.5, 0.9, 0, 8, 200, 210, 1, ?);
                """,
            arguments: [FeatureRecord.encode(vector)])
    }

    /// A stored vector whose bytes take many values (NUL, 0x80 and above), with key_major 1.
    static let storedVector = FeatureLayout.names.indices.map { $0 == 70 ? 1 : Float($0) * -1.37e3 + 0.01 }

    @Test("an empty database migrates step by step: each step adds its tables and keeps the data before it")
    func migratesStepByStep() throws {
        #expect(Set(Self.addedTables.keys) == Set(SchemaMigrations.all.map(\.identifier)), "a migration is untested")
        let folder = TemporaryDirectory()
        let pool = try DatabasePool(path: folder.file("steps.sqlite"))
        var expected: Set<String> = ["grdb_migrations"]
        for (n, migration) in SchemaMigrations.all.enumerated() {
            try SchemaMigrator.migrate(pool, through: migration.identifier)
            #expect(try pool.read(SchemaMigrator.applied) == SchemaMigrations.all.prefix(n + 1).map(\.identifier))
            expected.formUnion(Self.addedTables[migration.identifier] ?? [])
            let tables = try pool.read { db in
                try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            }
            #expect(tables == expected, "after \(migration.identifier)")
            if migration.identifier == "0004_mixes" {
                // An analysed track as 0001–0004 stored it, tempo alternates as JSON: 0005 must carry them over.
                try pool.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO tracks (id, path, size_bytes, mtime_ns, content_hash, status)
                            VALUES (7, '/m/a.flac', 1, 1, 'h', 'analyzed');
                            INSERT INTO features (track_id, bpm, bpm_confidence, bpm_alternates, key_tonic, key_mode,
                                key_confidence, loudness_range_lu, energy, valence, danceability, first_sound_s,
                                intro_end_s, outro_start_s, last_sound_s, vector_version, vector)
                            VALUES (7, 124, 0.8, '[{"bpm":62,"relation":"half","score":0.5},
                                {"bpm":248,"relation":"double","score":0.25}]', 9, 'minor', 0.7, 3, 0.6, 0.5, 0.7,
                                0, 8, 200, 210, 1, x'00000000');
                            INSERT INTO beats (track_id, beat_index, time_s, bar_position, phrase_start)
                            VALUES (7, 0, 0.25, 1, 1), (7, 1, 0.73, 2, 0);
                            """)
                }
            }
            if migration.identifier == "0010_embedded_art" {
                // A track without pitch content as 0001–0010 stored it: C major at confidence 0, key_major 1.
                let index = FeatureLayout.names.firstIndex(of: "key_major")!
                #expect(index == 70, "0011 patches component 70 of layout 1")
                try pool.write { db in
                    try Self.insertAnalysed(db, id: 8, key: "0, 'major', 0", vector: Self.storedVector)
                }
            }
        }
        // 0011: the placeholder key becomes no key, its vector's key_major 0.5; a found key stays as it was.
        let (keyed, keyless) = try pool.read { db in
            (
                try Row.fetchOne(db, sql: "SELECT * FROM features WHERE track_id = 7").map(FeatureRecord.init(row:)),
                try Row.fetchOne(db, sql: "SELECT * FROM features WHERE track_id = 8").map(FeatureRecord.init(row:))
            )
        }
        #expect(keyed?.key == MusicalKey(tonic: 9, mode: .minor) && keyed?.keyConfidence == 0.7)
        #expect(keyed?.values == [0])
        #expect(keyless != nil && keyless?.key == nil && keyless?.keyTonic == nil && keyless?.keyConfidence == 0)
        var expectedVector = Self.storedVector
        expectedVector[70] = 0.5
        #expect(keyless?.values == expectedVector)
        // A key is both tonic and mode or neither, and a track without one has confidence 0.
        for values in ["NULL, 'minor', 0", "3, NULL, 0", "NULL, NULL, 0.5"] {
            #expect(throws: DatabaseError.self) {
                try pool.write { db in try Self.insertAnalysed(db, id: 9, key: values, vector: [0]) }
            }
        }
        let (alternates, columns, sections, track) = try pool.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT * FROM tempo_alternates ORDER BY rank").map(
                    TempoAlternateRecord.init(row:)),
                try db.columns(in: "features").map(\.name),
                try TempoSectionRecord.fetchAll(db, sql: "SELECT * FROM tempo_sections"),
                try Row.fetchOne(db, sql: "SELECT * FROM tracks WHERE id = 7").map(TrackRecord.init(row:))
            )
        }
        // 0010: a track ingested before has no answer on embedded art yet.
        #expect(track?.path == "/m/a.flac" && track?.hasEmbeddedArt == nil)
        // 0006: a track analysed before it gets one section, from its first beat at its stored tempo.
        #expect(sections == [TempoSectionRecord(trackId: 7, sectionIndex: 0, startS: 0.25, bpm: 124, steady: false)])
        #expect(
            alternates == [
                TempoAlternateRecord(trackId: 7, rank: 0, bpm: 62, relation: .half, score: 0.5),
                TempoAlternateRecord(trackId: 7, rank: 1, bpm: 248, relation: .double, score: 0.25),
            ])
        #expect(!columns.contains("bpm_alternates") && columns.contains("bpm"))
    }

    @Test("a new store applies every migration in WAL mode, and reopening applies nothing twice")
    func migratesEmptyDatabase() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("nested/folder/library.sqlite")
        let store = try LibraryStore(path: path)
        #expect(try store.appliedMigrations() == SchemaMigrations.all.map(\.identifier))
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
