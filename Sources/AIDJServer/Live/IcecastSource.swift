import AIDJCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Pushes one mood's live stream to an Icecast server as a source client (`aidj serve --icecast URL`), for
/// people who run one: the same stream the `/live/{mood}` listeners get. Ogg/Opus by default, chained link per
/// track, so players read each track's title from its Opus comments (Icecast 2.4 itself shows no Opus titles and
/// refuses title updates for Ogg mounts); MP3 for a mount ending in `.mp3`, its titles set through Icecast's admin
/// API as each track goes out, so Icecast's pages and its ICY listeners see them.
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
        /// MP3 for a mount that ends in `.mp3`, else Ogg/Opus.
        var format: LiveStation.Format { mount.lowercased().hasSuffix(".mp3") ? .mp3 : .opus }

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

    /// Sets the mount's title through Icecast's admin API (`/admin/metadata?mode=updinfo`, MP3 mounts only: Icecast
    /// reads an Ogg mount's titles from the stream itself).
    func updateTitle(_ title: String) async {
        var query = URLComponents()
        query.queryItems = [
            URLQueryItem(name: "mount", value: target.mount), URLQueryItem(name: "mode", value: "updinfo"),
            URLQueryItem(name: "song", value: title),
        ]
        let head =
            "GET /admin/metadata?\(query.percentEncodedQuery ?? "") HTTP/1.0\r\n" + "Host: \(hostHeader)\r\n"
            + "Authorization: \(authorization)\r\n" + "User-Agent: aidj\r\n\r\n"
        do {
            let channel = try await connect()
            let status = try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: head))
                var iterator = inbound.makeAsyncIterator()
                return try await Self.status(from: &iterator)
            }
            if !status.contains(" 200 ") { logger.warning("icecast: the title update was answered \(status)") }
        } catch {
            logger.warning("icecast: the title update failed: \(error)")
        }
    }

    var hostHeader: String { (target.host.contains(":") ? "[\(target.host)]" : target.host) + ":\(target.port)" }
    var authorization: String { "Basic " + Data("\(target.user):\(target.password)".utf8).base64EncodedString() }

    func connect() async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Reads an HTTP answer's head and returns its status line (a `100 Continue` is skipped).
    static func status(from iterator: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) async throws
        -> String
    {
        var head: [UInt8] = []
        while true {
            guard let buffer = try await iterator.next() else {
                throw IcecastError("the server closed the connection before answering")
            }
            head += buffer.readableBytesView
            while let end = head.firstRange(of: [13, 10, 13, 10]) {
                let status =
                    String(decoding: head[..<end.lowerBound], as: UTF8.self)
                    .split(separator: "\r\n").first.map(String.init) ?? ""
                head.removeSubrange(..<end.upperBound)
                if !status.contains(" 100 ") { return status }
            }
            if head.count > 16_384 { throw IcecastError("the server's answer is not HTTP") }
        }
    }

    /// The request head Icecast expects from a source.
    func requestHead() -> String {
        "PUT \(target.mount) HTTP/1.1\r\n" + "Host: \(hostHeader)\r\n" + "Authorization: \(authorization)\r\n"
            + "User-Agent: aidj\r\n" + "Content-Type: \(target.format == .mp3 ? "audio/mpeg" : "audio/ogg")\r\n"
            + "Ice-Public: 0\r\n" + "Ice-Name: aidj live: \(mood.name)\r\n"
            + "Ice-Description: an endless beat-matched mix\r\n" + "Ice-Genre: \(mood.name)\r\n\r\n"
    }

    /// One connection: handshake, then the stream until either side ends it. A server that stops reading is hung
    /// up on after the listener's queue time (``LiveStation/stallLimit``), and shutting down closes the
    /// connection at once, so neither waits on a full socket.
    func push() async throws {
        let channel = try await connect()
        try await withTaskCancellationHandler {
            try await stream(over: channel)
        } onCancel: {
            channel.channel.close(promise: nil)
        }
    }

    private func stream(over channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: requestHead()))
            var iterator = inbound.makeAsyncIterator()
            let status = try await Self.status(from: &iterator)
            guard status.contains(" 200 ") else {
                throw IcecastError(
                    status.contains(" 401 ")
                        ? "the server refused the source password (\(status))" : "the server answered \(status)")
            }
            let station: LiveStation
            do { station = try await stations.station(mood) } catch { throw IcecastError("\(error)") }
            // MP3 comes with ICY metadata woven in, where the title changes in the audio; it is taken out here and
            // sent to Icecast's admin API instead.
            let (id, audio) = station.listen(user: nil, format: target.format, icy: target.format == .mp3)
            defer { station.leave(id) }
            logger.notice("icecast: streaming \(mood.name) to \(target.host):\(target.port)\(target.mount)")
            var icy = ICYReader(interval: LiveStation.icyInterval)
            let limit = station.stallLimit
            for await buffer in audio {
                try Task.checkCancellation()
                var bytes = buffer
                if target.format == .mp3 {
                    let (audio, titles) = icy.split(Array(buffer.readableBytesView))
                    bytes = ByteBuffer(bytes: audio)
                    for title in titles { Task { await updateTitle(title) } }
                }
                try await channel.channel.closing(ifStalledFor: limit) { try await outbound.write(bytes) }
            }
            try Task.checkCancellation()
            throw IcecastError("the \(mood.name) stream ended")
        }
    }
}

/// Takes ICY metadata blocks (every `interval` audio bytes: a length byte ×16, then `StreamTitle='…';`) out of a
/// stream, returning the audio and the titles found.
struct ICYReader {
    let interval: Int
    private var untilMeta: Int
    private var pending: [UInt8] = []

    init(interval: Int) {
        self.interval = interval
        untilMeta = interval
    }

    mutating func split(_ bytes: [UInt8]) -> (audio: [UInt8], titles: [String]) {
        pending += bytes
        var audio: [UInt8] = []
        var titles: [String] = []
        var offset = 0
        while offset < pending.count {
            if untilMeta > 0 {
                let n = min(untilMeta, pending.count - offset)
                audio += pending[offset..<(offset + n)]
                offset += n
                untilMeta -= n
                continue
            }
            let length = 16 * Int(pending[offset])
            guard pending.count - offset >= 1 + length else { break }
            let text = String(decoding: pending[(offset + 1)..<(offset + 1 + length)], as: UTF8.self)
            if let start = text.range(of: "StreamTitle='"),
                let end = text.range(of: "';", range: start.upperBound..<text.endIndex)
            {
                titles.append(String(text[start.upperBound..<end.lowerBound]))
            }
            offset += 1 + length
            untilMeta = interval
        }
        pending.removeFirst(offset)
        return (audio, titles)
    }
}

/// Why pushing to Icecast failed, in one line.
struct IcecastError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
