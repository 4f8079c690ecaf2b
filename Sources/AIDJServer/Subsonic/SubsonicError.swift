/// A Subsonic API error: the protocol's code and a one-line message naming the value at fault. Endpoints throw
/// these; the router writes them as `status="failed"` responses (HTTP 200, as clients expect).
struct SubsonicError: Error, CustomStringConvertible, Sendable {
    /// The protocol's error codes (Subsonic 1.16.1 and OpenSubsonic's apiKeyAuthentication extension).
    enum Code: Int, Sendable {
        case generic = 0
        case missingParameter = 10
        case clientTooOld = 20
        case serverTooOld = 30
        case wrongCredentials = 40
        case tokenAuthUnsupported = 41
        case mechanismUnsupported = 42
        case conflictingMechanisms = 43
        case invalidAPIKey = 44
        case notAuthorized = 50
        case notFound = 70
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "error \(code.rawValue): \(message)" }

    var element: SubsonicElement {
        var e = SubsonicElement("error")
        e.set("code", code.rawValue)
        e.set("message", message)
        return e
    }

    static func missing(_ name: String) -> SubsonicError {
        SubsonicError(.missingParameter, "required parameter '\(name)' is missing")
    }

    static func invalid(_ name: String, _ value: String, expected: String) -> SubsonicError {
        SubsonicError(.generic, "parameter '\(name)' is '\(value.prefix(80))', not \(expected)")
    }

    static func notFound(_ what: String, _ id: String) -> SubsonicError {
        SubsonicError(.notFound, "\(what) '\(id.prefix(80))' not found")
    }
}
