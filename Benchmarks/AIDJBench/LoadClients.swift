import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Keep-alive HTTP/1.1 clients on one event loop thread, light enough that a benchmark on a small machine
/// measures the server rather than its clients (URLSession's curl-based clients took more CPU per request than
/// the server itself). Each connection sends a request, waits for the whole response, optionally waits a think
/// time, and sends the next, until the deadline.
final class LoadClients: @unchecked Sendable {
    /// One request: its path and query, and the label its latency is filed under.
    struct Request {
        var label: String
        var target: String
    }

    struct Sample {
        var label: String
        var milliseconds: Double
        var ok: Bool
    }

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    /// Touched only on the event loop.
    private var samples: [Sample] = []
    private var open = 0
    private var finished: EventLoopPromise<Void>?
    private var channels: [Channel] = []

    deinit { try? group.syncShutdownGracefully() }

    /// Runs `clients` connections to `host:port` until `deadline`; `next(client, n)` gives each connection's
    /// n-th request, `think(client)` the pause after each answer (zero: closed loop). A response counts as ok
    /// when its status is 200 and its body holds `okMarker`.
    func run(
        host: String, port: Int, clients: Int, deadline: NIODeadline, okMarker: String,
        think: @escaping (Int) -> TimeAmount = { _ in .zero },
        next: @escaping (Int, Int) -> Request
    ) throws -> [Sample] {
        let loop = group.next()
        let done = loop.makePromise(of: Void.self)
        try loop.submit {
            self.finished = done
            self.open = clients
            // A request still unanswered 30 s after the deadline is a failure (its connection is closed), so a
            // stalled server ends the run with errors instead of hanging it.
            loop.scheduleTask(deadline: deadline + .seconds(30)) {
                for channel in self.channels where channel.isActive { channel.close(promise: nil) }
            }
        }.wait()
        for client in 0..<clients {
            let handler = ClientHandler(
                client: client, host: host, deadline: deadline, okMarker: Array(okMarker.utf8), think: think,
                next: next, record: { self.samples.append($0) }, closed: { self.connectionClosed() })
            let bootstrap = ClientBootstrap(group: loop)
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
            let connecting = bootstrap.connect(host: host, port: port)
            connecting.whenSuccess { self.channels.append($0) }
            connecting.whenFailure { _ in
                self.samples.append(Sample(label: "connect", milliseconds: 0, ok: false))
                self.connectionClosed()
            }
        }
        try done.futureResult.wait()
        return try loop.submit { self.samples }.wait()
    }

    private func connectionClosed() {
        open -= 1
        if open == 0 { finished?.succeed(()) }
    }

    /// Lives on the one event loop (its callbacks and the tasks it schedules run there), hence unchecked.
    private final class ClientHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart
        typealias OutboundOut = HTTPClientRequestPart

        let client: Int
        let host: String
        let deadline: NIODeadline
        let okMarker: [UInt8]
        let think: (Int) -> TimeAmount
        let next: (Int, Int) -> Request
        let record: (Sample) -> Void
        let closed: () -> Void
        var sent = 0
        var current: Request?
        var started: NIODeadline = .now()
        var status: HTTPResponseStatus = .ok
        var body: [UInt8] = []

        init(
            client: Int, host: String, deadline: NIODeadline, okMarker: [UInt8], think: @escaping (Int) -> TimeAmount,
            next: @escaping (Int, Int) -> Request, record: @escaping (Sample) -> Void, closed: @escaping () -> Void
        ) {
            self.client = client
            self.host = host
            self.deadline = deadline
            self.okMarker = okMarker
            self.think = think
            self.next = next
            self.record = record
            self.closed = closed
        }

        func channelActive(context: ChannelHandlerContext) { send(context) }

        func channelInactive(context: ChannelHandlerContext) {
            if current != nil { record(Sample(label: current!.label, milliseconds: 0, ok: false)) }
            current = nil
            closed()
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                status = head.status
                body.removeAll(keepingCapacity: true)
            case .body(let buffer):
                body.append(contentsOf: buffer.readableBytesView)
            case .end:
                guard let request = current else { return }
                let milliseconds = Double((NIODeadline.now() - started).nanoseconds) / 1e6
                let ok = status == .ok && Self.contains(body, okMarker)
                record(Sample(label: request.label, milliseconds: milliseconds, ok: ok))
                current = nil
                let pause = think(client)
                if pause > .zero {
                    context.eventLoop.scheduleTask(in: pause) { self.send(context) }
                } else {
                    send(context)
                }
            }
        }

        private func send(_ context: ChannelHandlerContext) {
            guard NIODeadline.now() < deadline else {
                context.close(promise: nil)
                return
            }
            let request = next(client, sent)
            sent += 1
            current = request
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: request.target)
            head.headers.add(name: "Host", value: host)
            started = .now()
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }

        private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
            guard needle.count <= haystack.count else { return false }
            for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
                if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
            }
            return false
        }
    }
}
