/// Metrics a reader does not need: decodes from any JSON object.
public struct IgnoredMetrics: Codable, Sendable {
    public init() {}
}
