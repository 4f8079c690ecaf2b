import AIDJCore
import Foundation
import GRDB

/// A row of `models`: a trained model with its hyper-parameters, metrics (JSON) and weights.
public struct ModelRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "models"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: Int64?
    public var kind: String
    public var name: String
    public var hyperparameters: String
    public var metrics: String
    public var weights: Data
    public var createdAt: String
    public var updatedAt: String

    public init(kind: String, name: String, hyperparameters: String, metrics: String, weights: [Float]) {
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
    public func saveModel(_ model: ModelRecord) throws(StoreError) -> Int64 {
        try write { db in
            var record = model
            if let existing = try ModelRecord.filter(Column("kind") == model.kind && Column("name") == model.name)
                .fetchOne(db)
            {
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

    public func model(kind: String, name: String) throws(StoreError) -> ModelRecord? {
        try read { db in
            try ModelRecord.filter(Column("kind") == kind && Column("name") == name).fetchOne(db)
        }
    }

    /// Models of a kind, by name.
    public func models(kind: String) throws(StoreError) -> [ModelRecord] {
        try read { db in
            try ModelRecord.filter(Column("kind") == kind).order(Column("name")).fetchAll(db)
        }
    }
}
