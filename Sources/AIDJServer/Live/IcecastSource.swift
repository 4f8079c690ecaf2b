import AIDJCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Pushes one mood's live stream to an Icecast server as a source client (`aidj serve --icecast URL`), for
/// people who run one: the same Ogg/Opus stream the `/live/{mood}` listeners get, chained link per track, so
/// Icecast shows each track's title from its Opus comments.
///
/// Icecast 2.4's HTTP source protocol: `PUT /mount` with Basic authentication (user `source` unless the URL names
/// another), `Content-Type: audio/ogg` and `Ice-*` headers; Icecast answers `200 OK` and then reads the stream
/// until the connection closes. While connected the relay counts as a listener, so the station's clock runs; it
/// has no taste of its own. A refused or lost connection is logged and retried after 1 s, doubling to a minute.
struct IcecastSource: Service {
    /// Where to push: `http://[USER:]PASSWORD@HOST[:PORT]/MOUNT`.
    struct Target: Sendable, Equatable {
        var host: String
        var port: Int
        var mount: String
        var user: String
        var password: String

        /// - Throws: a message naming what the URL lacks.
        init(url text: String) throws(IcecastError) {
            guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
                ["http", "icecast"].contains(scheme)
            else {
                throw IcecastError("--icecast '\(text)' is not a URL like http://source:PASSWORD@HOST:8000/MOUNT")
            }
            guard let host = url.host, !host.isEmpty else { throw IcecastError("--icecast '\(text)' names no host") }
            guard let password = url.password, !password.isEmpty else {
                throw IcecastError("--icecast '\(text)' has no source password (http://source:PASSWORD@…)")
            }
            let mount = url.percentEncodedPath
            guard mount.count > 1 else {
                throw IcecastError("--icecast '\(text)' names no mount point (…:8000/aidj.ogg)")
            }
            self.host = host
            port = url.port ?? 8000
            self.mount = mount
            user = url.user.flatMap { $0.isEmpty ? nil : $0 } ?? "source"
            self.password = password
        }
    }

    let target: Target
    let mood: MoodRegion
    let stations: LiveStations
    let logger: Logger
    var maximumBackoff: Duration = .seconds(60)

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var backoff: Duration = .seconds(1)
            while !Task.isCancelled {
                let started = ContinuousClock.now
                do {
                    try await push()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning(
                        "icecast \(target.host):\(target.port)\(target.mount): \(error); retrying in \(backoff)")
                }
                // A connection that lasted resets the wait; quick failures back off.
                if ContinuousClock.now - started > .seconds(30) { backoff = .seconds(1) }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, maximumBackoff)
            }
        }
    }

    /// The request head Icecast expects from a source.
    func requestHead() -> String {
        let credentials = Data("\(target.user):\(target.password)".utf8).base64EncodedString()
        let hostHeader = target.host.contains(":") ? "[\(target.host)]" : target.host
        return "PUT \(target.mount) HTTP/1.1\r\n" + "Host: \(hostHeader):\(target.port)\r\n"
            + "Authorization: Basic \(credentials)\r\n" + "User-Agent: aidj\r\n" + "Content-Type: audio/ogg\r\n"
            + "Ice-Public: 0\r\n" + "Ice-Name: aidj live: \(mood.name)\r\n"
            + "Ice-Description: an endless beat-matched mix\r\n" + "Ice-Genre: \(mood.name)\r\n\r\n"
    }

    /// One connection: handshake, then the stream until either side ends it.
    func push() async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: requestHead()))
            var head: [UInt8] = []
            var iterator = inbound.makeAsyncIterator()
            // The status line and headers; a `100 Continue` is skipped.
            while true {
                guard let buffer = try await iterator.next() else {
                    throw IcecastError("the server closed the connection before answering")
                }
                head += buffer.readableBytesView
                guard let end = head.firstRange(of: [13, 10, 13, 10]) else {
                    if head.count > 16_384 { throw IcecastError("the server's answer is not HTTP") }
                    continue
                }
                let status =
                    String(decoding: head[..<end.lowerBound], as: UTF8.self)
                    .split(separator: "\r\n").first.map(String.init) ?? ""
                head.removeSubrange(..<end.upperBound)
                if status.contains(" 100 ") { continue }
                guard status.contains(" 200 ") else {
                    throw IcecastError(
                        status.contains(" 401 ")
                            ? "the server refused the source password (\(status))" : "the server answered \(status)")
                }
                break
            }
            let station: LiveStation
            do { station = try await stations.station(mood) } catch { throw IcecastError("\(error)") }
            let (id, audio) = station.listen(user: nil, format: .opus, icy: false)
            defer { station.leave(id) }
            logger.notice("icecast: streaming \(mood.name) to \(target.host):\(target.port)\(target.mount)")
            for await buffer in audio {
                try Task.checkCancellation()
                try await outbound.write(buffer)
            }
            try Task.checkCancellation()
            throw IcecastError("the \(mood.name) stream ended")
        }
    }
}

/// Why pushing to Icecast failed, in one line.
struct IcecastError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
