/// Why a mix cannot be made.
public struct MixError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
