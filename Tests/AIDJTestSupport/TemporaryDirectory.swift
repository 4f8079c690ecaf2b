import Foundation

/// A fresh folder under the system temporary directory, removed when the value is released — or, for one held
/// in a static (never released), when the test process exits.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(_ label: String = "aidj-tests", removeAtExit: Bool = false) {
        path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if removeAtExit { ExitCleanup.shared.add(path) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// `path/name`, creating intermediate folders of `name`.
    public func file(_ name: String) -> String {
        let full = path + "/" + name
        try? FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return full
    }
}

/// Folders to remove when the process exits (statics are never deinitialized).
final class ExitCleanup: @unchecked Sendable {
    static let shared = ExitCleanup()
    private let lock = NSLock()
    private var paths: [String] = []

    private init() {
        atexit { ExitCleanup.shared.removeAll() }
    }

    func add(_ path: String) {
        lock.lock()
        paths.append(path)
        lock.unlock()
    }

    func removeAll() {
        lock.lock()
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
        paths = []
        lock.unlock()
    }
}
