import AIDJStore
import Crypto
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Secrets of the server's users (listeners).
///
/// Subsonic's token auth (`t = md5(password + salt)`) needs each password in clear on the server: that is the
/// protocol's known weakness. aidj keeps passwords sealed with AES-GCM under a 256-bit key in a file only the
/// user can read (`<database>.key`, mode 0600), so a copy of the database alone reveals none. API keys
/// (OpenSubsonic apiKeyAuthentication) are random, shown once, and stored only as SHA-256 hashes.
public struct Credentials: Sendable {
    public let keyFile: String
    private let keyBytes: Data
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// The key file beside a database: `library.sqlite` → `library.sqlite.key`.
    public static func keyFile(forDatabase path: String) -> String { path + ".key" }

    /// Loads the key file, creating it (0600) when `create` and it does not exist.
    ///
    /// - Throws: ``CredentialError`` naming the file when it cannot be read, has the wrong size, or is readable
    ///   by others.
    public init(keyFile: String, create: Bool) throws(CredentialError) {
        self.keyFile = keyFile
        let manager = FileManager.default
        if !manager.fileExists(atPath: keyFile) {
            guard create else { throw CredentialError("key file '\(keyFile)' does not exist") }
            var bytes = [UInt8](repeating: 0, count: 32)
            var generator = SystemRandomNumberGenerator()
            for i in bytes.indices { bytes[i] = generator.next() }
            // Created with 0600 from the start, never widened.
            #if canImport(Glibc)
                let fd = Glibc.open(keyFile, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            #else
                let fd = Darwin.open(keyFile, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            #endif
            guard fd >= 0 else { throw CredentialError("cannot create key file '\(keyFile)': errno \(errno)") }
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == 32 else { throw CredentialError("cannot write key file '\(keyFile)'") }
        }
        var info = stat()
        guard stat(keyFile, &info) == 0 else { throw CredentialError("cannot read key file '\(keyFile)'") }
        guard info.st_mode & 0o077 == 0 else {
            throw CredentialError(
                "key file '\(keyFile)' is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))): "
                    + "chmod 600 it")
        }
        guard let data = manager.contents(atPath: keyFile), data.count == 32 else {
            throw CredentialError("key file '\(keyFile)' is not a 32-byte key")
        }
        keyBytes = data
    }

    /// The password sealed for storage.
    public func seal(password: String) throws(CredentialError) -> Data {
        do {
            guard let combined = try AES.GCM.seal(Data(password.utf8), using: key).combined else {
                throw CredentialError("cannot seal the password")
            }
            return combined
        } catch let error as CredentialError {
            throw error
        } catch {
            throw CredentialError("cannot seal the password: \(error)")
        }
    }

    /// The password from its sealed form; fails when the key file is not the one it was sealed with.
    public func open(sealed: Data) throws(CredentialError) -> String {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
        } catch {
            throw CredentialError(
                "a stored password does not open with key file '\(keyFile)' (was it replaced?): set it again "
                    + "with `aidj listener password NAME`")
        }
    }

    /// A new API key: `aidj_` and 43 characters of base64url over 32 random bytes.
    public static func newAPIKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "aidj_" + text
    }

    /// How an API key is stored: SHA-256, hex.
    public static func hash(apiKey: String) -> String { hex(SHA256.hash(data: Data(apiKey.utf8))) }

    /// Subsonic's token: md5(password + salt), hex.
    static func token(password: String, salt: String) -> String {
        hex(Insecure.MD5.hash(data: Data((password + salt).utf8)))
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Equality whose time depends only on the lengths, not on where the texts differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            difference |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return difference == 0
    }
}

/// A key-file or password-sealing failure, naming the file.
public struct CredentialError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
