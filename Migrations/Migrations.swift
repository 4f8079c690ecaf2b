/// The schema migrations, embedded at build time from `Migrations/NNNN_name.sql`.
///
/// The SQL files are the only source of the schema. SwiftPM's `embedInCode` turns each into a byte array in
/// `PackageResources`, so the installed binary needs no resource folder beside it.
public enum SchemaMigrations {
    /// A migration: its identifier (the file name without `.sql`) and its SQL text.
    public struct Migration: Sendable, Equatable {
        public let identifier: String
        public let sql: String
    }

    /// Every migration in application order (by file name: `0001_…`, `0002_…`).
    public static let all: [Migration] = embedded.sorted { $0.identifier < $1.identifier }
}

extension SchemaMigrations {
    /// One line per SQL file. SwiftPM names the embedded array after the file, with a leading digit replaced by
    /// `_`; each file is also listed in Package.swift. `SchemaMigrationsTests` fails when a file in this folder is
    /// missing here.
    static let embedded: [Migration] = [
        Migration(identifier: "0001_library", bytes: PackageResources._001_library_sql),
        Migration(identifier: "0002_models", bytes: PackageResources._002_models_sql),
        Migration(identifier: "0003_genre_predictions", bytes: PackageResources._003_genre_predictions_sql),
        Migration(identifier: "0004_mixes", bytes: PackageResources._004_mixes_sql),
        Migration(identifier: "0005_tempo_alternates", bytes: PackageResources._005_tempo_alternates_sql),
        Migration(identifier: "0006_tempo_sections", bytes: PackageResources._006_tempo_sections_sql),
        Migration(identifier: "0007_track_sections", bytes: PackageResources._007_track_sections_sql),
        Migration(identifier: "0008_assessments", bytes: PackageResources._008_assessments_sql),
        Migration(identifier: "0009_server", bytes: PackageResources._009_server_sql),
        Migration(identifier: "0010_embedded_art", bytes: PackageResources._010_embedded_art_sql),
        Migration(identifier: "0011_optional_key", bytes: PackageResources._011_optional_key_sql),
    ]
}

extension SchemaMigrations.Migration {
    init(identifier: String, bytes: [UInt8]) {
        self.init(identifier: identifier, sql: String(decoding: bytes, as: UTF8.self))
    }
}
