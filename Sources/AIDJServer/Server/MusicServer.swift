import AIDJCore
import AIDJStore
public import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The request context: Hummingbird's core storage plus the client's address (for login throttling).
struct ServerContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: String
    /// The connection, so a live stream can hang up on a client that stopped reading.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        channel = source.channel
    }
}

/// `aidj serve`: the library over HTTP — the OpenSubsonic API under `/rest/`, the web player at `/`.
///
/// Loopback by default. Every API method but ping, getLicense and getOpenSubsonicExtensions needs credentials;
/// media is found by id only. SIGINT and SIGTERM stop accepting connections, let the responses in flight finish,
/// and return.
public struct MusicServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0: any free port (the one chosen is reported to `onListening`).
        public var port = 4533
        public var databasePath: String
        /// Largest request body read (form posts); larger requests get 413.
        public var maximumBodyBytes = 64 * 1024
        /// A connection that sends no complete request for this long (between keep-alive requests, or while its
        /// headers trickle in) is closed; a response being written, however slowly it is read, is not cut.
        public var idleTimeout: Duration = .seconds(60)
        public var serverVersion = "1"
        /// Login throttling (tests shorten it).
        var throttle = LoginThrottle.Policy()
        /// Live streams: how fast their clock runs (1 = real time; faster for tests and benchmarks) and how far
        /// the render keeps ahead of it (s).
        public var livePace = 1.0
        public var liveLead = 8.0
        /// Push a mood's live stream to Icecast: `http://source:PASSWORD@HOST:PORT/MOUNT` (see ``IcecastSource``).
        public var icecastURL: String?
        public var icecastMood: String?

        public init(databasePath: String) { self.databasePath = databasePath }

        /// Throttling with a shorter first delay (for tests and benchmarks).
        public mutating func throttle(baseDelay: Duration, maximumDelay: Duration, freeAttempts: Int = 5) {
            throttle.baseDelay = baseDelay
            throttle.maximumDelay = maximumDelay
            throttle.freeAttempts = freeAttempts
        }
    }

    let configuration: Configuration
    let api: SubsonicAPI
    let icecast: (target: IcecastSource.Target, mood: MoodRegion)?
    private let running = RunningGroup()

    /// The service group while ``run(onListening:)`` runs, so ``stop()`` can end it gracefully.
    private final class RunningGroup: Sendable {
        let group = Mutex<ServiceGroup?>(nil)
    }

    /// Opens the database and the key file (created on first use).
    ///
    /// - Throws: `StoreError` or ``CredentialError`` naming the file; an Icecast URL or mood that is not valid.
    public init(configuration: Configuration) throws {
        self.configuration = configuration
        if let url = configuration.icecastURL {
            let target = try IcecastSource.Target(url: url)
            guard let name = configuration.icecastMood else {
                let moods = MoodSpace.named.map(\.name).joined(separator: ", ")
                throw IcecastError("--icecast needs --icecast-mood, one of \(moods)")
            }
            icecast = (target, try MoodSpace.region(named: name))
        } else {
            icecast = nil
        }
        let store = try LibraryStore(path: configuration.databasePath)
        let credentials = try Credentials(
            keyFile: Credentials.keyFile(forDatabase: configuration.databasePath), create: true)
        let listeners = ListenerCache(store: store, credentials: credentials)
        api = SubsonicAPI(
            store: store, view: LibraryView(store: store), listeners: listeners,
            changes: try DatabaseChanges(store: store),
            authenticator: Authenticator(listeners: listeners, throttle: LoginThrottle(policy: configuration.throttle)),
            serverVersion: configuration.serverVersion, nowPlaying: NowPlaying(),
            live: LiveStations(
                store: store, settings: .init(pace: configuration.livePace, lead: configuration.liveLead)))
    }

    /// Serves until SIGINT or SIGTERM. `onListening` gets the base URL once the socket is bound.
    public func run(onListening: @escaping @Sendable (String) -> Void) async throws {
        try await Self.claim(host: configuration.host, port: configuration.port)
        let idleTimeout = TimeAmount.nanoseconds(Int64(configuration.idleTimeout / .nanoseconds(1)))
        var logger = Logger(label: "aidj.serve")
        logger.logLevel = .warning
        let app = Application(
            router: router(),
            server: .http1(
                configuration: .init(additionalChannelHandlers: [IdleConnectionHandler(timeout: idleTimeout)])),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "aidj"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
                onListening("http://\(host):\(port)")
            },
            logger: logger)
        // Live streams never end on their own: on shutdown they are ended first, so the responses in flight finish.
        var services: [any Service] = [app, LiveShutdown(stations: api.live)]
        if let icecast {
            var relayLogger = Logger(label: "aidj.icecast")
            relayLogger.logLevel = .notice
            // Last in the group, so it is the first stopped.
            services.append(
                IcecastSource(target: icecast.target, mood: icecast.mood, stations: api.live, logger: relayLogger))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        running.group.withLock { $0 = group }
        try await withTaskExecutorPreference(ServerExecutor.shared) { try await group.run() }
    }

    /// Binds the address once and lets it go, so that a port in use (or any address that cannot be bound) fails
    /// here, before the service group starts.
    ///
    /// Failing inside the group deadlocked the process now and then (13 of 40 tries on a loaded machine): the group
    /// cancels the application's date-cache task while it starts up, and the runtime's lock on that task's status
    /// and swift-async-algorithms' lock in `merge` are then taken in opposite orders (the task prefers
    /// ``ServerExecutor``, so resuming it reads its status). Port 0 always binds.
    static func claim(host: String, port: Int) async throws {
        guard port != 0 else { return }
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
        } catch let error as IOError {
            // NIO's own text names its syscall wrapper: "bind(descriptor:ptr:bytes:): Address already in use) …".
            throw AddressError(description: String(cString: strerror(error.errnoCode)).lowercased())
        }
        try await channel.close()
    }

    /// An address the server cannot listen on, in the system's words ("address already in use").
    struct AddressError: Error, CustomStringConvertible {
        let description: String
    }

    /// Stops a running server as SIGTERM would: no new connections, the responses in flight finish.
    public func stop() async {
        guard let group = running.group.withLock({ $0 }) else { return }
        await group.triggerGracefulShutdown()
    }

    /// Ends the live streams when the server shuts down (the service group stops it before the HTTP server).
    struct LiveShutdown: Service {
        let stations: LiveStations
        func run() async throws {
            try? await gracefulShutdown()
            stations.stopAll()
        }
    }

    func router() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self, options: .autoGenerateHeadEndpoints)
        let api = self.api
        let limit = configuration.maximumBodyBytes
        @Sendable func handle(_ request: Request, _ context: ServerContext) async throws -> Response {
            let method = context.parameters.get("method") ?? ""
            var body: String?
            if request.method == .post {
                var request = request
                let buffer = try await request.collectBody(upTo: limit)
                body = String(buffer: buffer)
            }
            return await api.respond(method: method, request: request, body: body, context: context)
        }
        LiveRoutes.register(on: router, api: api, bodyLimit: limit)
        router.get("/rest/:method", use: handle)
        router.post("/rest/:method", use: handle)
        router.get("/") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.contentSecurityPolicy] =
                "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "script-src 'self' 'unsafe-inline'"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: PackageResources.index_html)))
        }
        return router
    }
}
