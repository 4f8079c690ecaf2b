import AIDJCore
import Foundation
import GRDB

/// A row of `models`: a trained model with its header (hyper-parameters and everything else but the weights,
/// JSON), metrics (JSON) and weights. Read and written through ``ModelRepository``.
struct ModelRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "models"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: Int64?
    public var kind: ModelKind
    public var name: String
    public var hyperparameters: String
    public var metrics: String
    public var weights: Data
    public var createdAt: String
    public var updatedAt: String

    init(kind: ModelKind, name: String, hyperparameters: String, metrics: String, weights: [Float]) {
        self.kind = kind
        self.name = name
        self.hyperparameters = hyperparameters
        self.metrics = metrics
        self.weights = FeatureRecord.encode(weights)
        createdAt = Timestamp.now()
        updatedAt = createdAt
    }

    public var weightValues: [Float] { FeatureRecord.decode(weights) }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension LibraryStore {
    /// Stores a model, replacing one of the same kind and name (its creation time is kept, its stored
    /// predictions are dropped).
    ///
    /// - Returns: the model's row id.
    @discardableResult
    func saveModel(_ model: ModelRecord) throws(StoreError) -> Int64 {
        try write { db in
            var record = model
            if let existing = try ModelRecord.filter(
                Column("kind") == model.kind.rawValue && Column("name") == model.name
            )
            .fetchOne(db) {
                record.id = existing.id
                record.createdAt = existing.createdAt
                record.updatedAt = Timestamp.now()
                try record.update(db)
                // Predictions made with the old weights no longer describe this model.
                try db.execute(sql: "DELETE FROM genre_predictions WHERE model_id = ?", arguments: [existing.id])
            } else {
                try record.insert(db)
            }
            return record.id!
        }
    }

    func model(kind: ModelKind, name: String) throws(StoreError) -> ModelRecord? {
        try read { db in
            try ModelRecord.filter(Column("kind") == kind.rawValue && Column("name") == name).fetchOne(db)
        }
    }

    /// Models of a kind, by name.
    func models(kind: ModelKind) throws(StoreError) -> [ModelRecord] {
        try read { db in
            try ModelRecord.filter(Column("kind") == kind.rawValue).order(Column("name")).fetchAll(db)
        }
    }
}
