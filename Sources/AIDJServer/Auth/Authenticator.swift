import AIDJStore
import Foundation

/// A logged-in listener.
struct ServerUser: Sendable, Equatable {
    var id: Int64
    var name: String
}

/// Checks a request's credentials: `apiKey` (OpenSubsonic), or `u` with a token (`t`, `s`) or a password (`p`,
/// plain or `enc:` hex). Comparisons take constant time; failures are throttled per address.
struct Authenticator: Sendable {
    let listeners: ListenerCache
    let throttle: LoginThrottle

    func authenticate(_ parameters: RequestParameters, address: String) async throws(SubsonicError) -> ServerUser {
        let apiKey = parameters["apiKey"]
        let user = parameters["u"]
        if apiKey != nil && user != nil {
            throw SubsonicError(.conflictingMechanisms, "multiple conflicting authentication mechanisms: apiKey and u")
        }
        if apiKey == nil && user == nil { throw .missing("u") }
        if let token = parameters["t"], parameters["p"] != nil, !token.isEmpty {
            throw SubsonicError(.conflictingMechanisms, "multiple conflicting authentication mechanisms: t and p")
        }

        let wait = throttle.admit(address)
        if wait > .zero { try? await Task.sleep(for: wait) }

        let result: ServerUser?
        do {
            if let apiKey {
                result = try listeners.user(apiKeyHash: Credentials.hash(apiKey: apiKey))
            } else {
                result = try check(user: user!, parameters)
            }
        } catch {
            throttle.failed(address)
            throw error as? SubsonicError ?? SubsonicError(.generic, "\(error)")
        }
        guard let result else {
            throttle.failed(address)
            throw apiKey != nil
                ? SubsonicError(.invalidAPIKey, "invalid API key")
                : SubsonicError(.wrongCredentials, "wrong username or password")
        }
        throttle.succeeded(address)
        return result
    }

    private func check(user name: String, _ parameters: RequestParameters) throws -> ServerUser? {
        let token = parameters["t"], salt = parameters["s"], password = parameters["p"]
        if token == nil && password == nil { throw SubsonicError.missing("t") }
        if token != nil && (salt ?? "").isEmpty { throw SubsonicError.missing("s") }
        guard let login = try listeners.login(named: name), let stored = login.password else {
            // The same work as a real check, so a missing user is not told apart by timing.
            _ = Credentials.constantTimeEqual(Credentials.token(password: "", salt: salt ?? ""), token ?? "")
            return nil
        }
        let matches: Bool
        if let token, let salt {
            matches = Credentials.constantTimeEqual(
                Credentials.token(password: stored, salt: salt), token.lowercased())
        } else {
            matches = Credentials.constantTimeEqual(stored, Self.clear(password!))
        }
        return matches ? login.user : nil
    }

    /// `p` as sent: clear text, or `enc:` and the UTF-8 bytes in hex.
    static func clear(_ password: String) -> String {
        guard password.hasPrefix("enc:") else { return password }
        let hex = Array(password.dropFirst(4).utf8)
        guard hex.count % 2 == 0 else { return password }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        for i in stride(from: 0, to: hex.count, by: 2) {
            guard let byte = UInt8(String(decoding: hex[i..<i + 2], as: UTF8.self), radix: 16) else {
                return password
            }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
