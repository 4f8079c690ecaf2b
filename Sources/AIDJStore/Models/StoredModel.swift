/// A model as stored: a header (what it needs besides its weights: configuration, vocabulary, standardization),
/// metrics (how it was trained and how it did), and its weights.
public struct StoredModel<Header: Sendable, Metrics: Sendable>: Sendable {
    public var id: Int64
    public var kind: ModelKind
    public var name: String
    public var header: Header
    public var metrics: Metrics
    public var weights: [Float]
    public var createdAt: String
    public var updatedAt: String
}
