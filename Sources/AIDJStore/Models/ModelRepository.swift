import Foundation
import GRDB

/// The models of a library, of every kind, through one path: one `models` row each, the header and metrics as
/// JSON (sorted keys) and the weights as a Float32 blob. Saving replaces a model of the same kind and name in one
/// transaction (and drops what its old weights predicted).
public struct ModelRepository: Sendable {
    public let store: LibraryStore

    public init(_ store: LibraryStore) { self.store = store }

    /// Stores a model, replacing one of the same kind and name.
    ///
    /// - Returns: its row id.
    @discardableResult
    public func save<Header: Encodable, Metrics: Encodable>(
        _ kind: ModelKind, name: String, header: Header, metrics: Metrics, weights: [Float]
    ) throws -> Int64 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try store.saveModel(
            ModelRecord(
                kind: kind, name: name, hyperparameters: String(decoding: try encoder.encode(header), as: UTF8.self),
                metrics: String(decoding: try encoder.encode(metrics), as: UTF8.self), weights: weights))
    }

    /// Whether a model of that kind and name is stored.
    public func contains(_ kind: ModelKind, name: String) throws(StoreError) -> Bool {
        try store.model(kind: kind, name: name) != nil
    }

    /// The stored model, nil when there is none.
    ///
    /// - Throws: ``ModelError`` (`.damaged`) when its header or metrics do not decode as the types asked for.
    public func load<Header: Decodable & Sendable, Metrics: Decodable & Sendable>(
        _ kind: ModelKind, name: String, header: Header.Type, metrics: Metrics.Type
    ) throws -> StoredModel<Header, Metrics>? {
        guard let record = try store.model(kind: kind, name: name) else { return nil }
        return try decode(record, header: header, metrics: metrics)
    }

    /// The stored model.
    ///
    /// - Parameters:
    ///   - kind: the kind of model.
    ///   - name: its name.
    ///   - header: the type its header decodes as.
    ///   - metrics: the type its metrics decode as (``IgnoredMetrics`` when they are not needed).
    ///   - retrain: the command that makes one, for the error when there is none.
    /// - Throws: ``ModelError`` (`.missing`) when there is none, (`.damaged`) when it does not decode.
    public func require<Header: Decodable & Sendable, Metrics: Decodable & Sendable>(
        _ kind: ModelKind, name: String, header: Header.Type, metrics: Metrics.Type, retrain: String
    ) throws -> StoredModel<Header, Metrics> {
        guard let model = try load(kind, name: name, header: header, metrics: metrics) else {
            throw ModelError(.missing, kind: kind, name: name, detail: "in \(store.path): train one with `\(retrain)`")
        }
        return model
    }

    /// Every model of a kind that decodes, by name (damaged rows are left out of listings).
    public func all<Header: Decodable & Sendable, Metrics: Decodable & Sendable>(
        _ kind: ModelKind, header: Header.Type, metrics: Metrics.Type
    ) throws(StoreError) -> [StoredModel<Header, Metrics>] {
        try store.models(kind: kind).compactMap { try? decode($0, header: header, metrics: metrics) }
    }

    private func decode<Header: Decodable & Sendable, Metrics: Decodable & Sendable>(
        _ record: ModelRecord, header: Header.Type, metrics: Metrics.Type
    ) throws(ModelError) -> StoredModel<Header, Metrics> {
        let decoder = JSONDecoder()
        guard let decodedHeader = try? decoder.decode(Header.self, from: Data(record.hyperparameters.utf8)) else {
            throw ModelError(
                .damaged, kind: record.kind, name: record.name, detail: "is damaged: its header does not decode")
        }
        guard let decodedMetrics = try? decoder.decode(Metrics.self, from: Data(record.metrics.utf8)) else {
            throw ModelError(
                .damaged, kind: record.kind, name: record.name, detail: "is damaged: its metrics do not decode")
        }
        return StoredModel(
            id: record.id!, kind: record.kind, name: record.name, header: decodedHeader, metrics: decodedMetrics,
            weights: record.weightValues, createdAt: record.createdAt, updatedAt: record.updatedAt)
    }
}
