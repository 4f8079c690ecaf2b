import AIDJServer
import ArgumentParser
import Foundation

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the library to music players (OpenSubsonic API) and a web player.",
        discussion: """
            The API is at /rest/ (Subsonic 1.16.1 with OpenSubsonic extensions: apiKeyAuthentication, formPost, \
            sonicSimilarity); the web player at /. Listeners log in with the password set by \
            `aidj listener add NAME --password-prompt` or an API key from `aidj listener api-key NAME`. \
            The first line on standard output is "listening on URL". Ctrl-C (or SIGTERM) finishes the responses \
            in flight and stops.
            """)

    @Option(help: "HOST:PORT to listen on; port 0 picks a free one. Other machines reach it only with 0.0.0.0.")
    var listen = "127.0.0.1:4533"
    @OptionGroup var store: StoreOptions
    @Option(
        help: ArgumentHelp(
            "Also push a mood's live stream to an Icecast server as a source.",
            discussion: "http://source:PASSWORD@HOST:PORT/MOUNT (Icecast 2.4's HTTP PUT source protocol).",
            valueName: "url"))
    var icecast: String?
    @Option(help: "The mood pushed to Icecast (see `aidj moods`).")
    var icecastMood: String?
    @Option(help: ArgumentHelp("Live streams' clock: stream seconds per second (benchmarks).", visibility: .hidden))
    var livePace = 1.0

    /// "127.0.0.1:4533", "[::1]:0", "0.0.0.0:80".
    static func parse(listen: String) -> (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":") else { return nil }
        var host = String(listen[..<colon])
        guard let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return (host, port)
    }

    func validate() throws {
        guard Self.parse(listen: listen) != nil else {
            throw ValidationError("--listen '\(listen)' is not HOST:PORT with a port from 0 to 65535")
        }
        if icecastMood != nil && icecast == nil {
            throw ValidationError("--icecast-mood needs --icecast URL")
        }
        guard livePace.isFinite, livePace > 0, livePace <= 100 else {
            throw ValidationError("--live-pace \(livePace) is not between 0 and 100")
        }
    }

    func run() throws {
        let (host, port) = Self.parse(listen: listen)!
        var configuration = MusicServer.Configuration(databasePath: store.path)
        configuration.host = host
        configuration.port = port
        configuration.serverVersion = AIDJCommand.configuration.version
        configuration.livePace = livePace
        configuration.icecastURL = icecast
        configuration.icecastMood = icecastMood
        let server = try MusicServer(configuration: configuration)
        let finished = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do {
                try await server.run { url in
                    // Unbuffered: scripts and tests wait for this line on a pipe.
                    FileHandle.standardOutput.write(Data("listening on \(url)\n".utf8))
                }
            } catch {
                failure.error = error
            }
            finished.signal()
        }
        finished.wait()
        if let error = failure.error {
            throw CLIError("cannot serve on \(listen): \(error)")
        }
    }
}

/// The server task's error, read after it ended.
private final class FailureBox: @unchecked Sendable {
    var error: Error?
}
