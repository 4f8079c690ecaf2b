import AIDJAudio
import AIDJCore
import AIDJMixer
import AIDJStore
import Foundation
import NIOCore
import Synchronization

/// One mood's endless mix: rendered once on its own thread, encoded, and fanned out to every listener.
///
/// - The render keeps ``lead`` seconds ahead of the stream clock (what listeners hear now), so a deck's render
///   never starves them; a new listener gets the link's headers and a burst from the clock on.
/// - Ogg/Opus is a chained stream: each track is one link whose comments carry its title and artist, so players
///   show the track change where it happens. MP3 (made only while someone listens to it) carries ICY
///   `StreamTitle` metadata for clients that ask for it.
/// - A listener whose queue reaches ``maximumQueuedChunks`` (about 30 s) is dropped rather than holding up the
///   others; the render never waits for a listener.
/// - With no listener the clock stops and so does the render; after ``idleShutdown`` the station ends and frees
///   its memory (the registry starts a new one on the next listener).
final class LiveStation: Sendable {
    enum Format: String, Sendable {
        case opus, mp3
    }

    /// Encoded audio for one format, stamped with its stream time.
    struct Chunk: Sendable {
        var bytes: [UInt8]
        var timeS: Double
        /// The stream number of the track on air (its Ogg link).
        var track: Int
        /// The Ogg link's header pages, for a listener who starts at this chunk.
        var header: [UInt8]
        var startsLink: Bool
    }

    struct Listener {
        /// Nil for a relay (Icecast), which has no taste.
        var user: ServerUser?
        var format: Format
        var continuation: AsyncStream<ByteBuffer>.Continuation
        /// ICY metadata interval (bytes), when the client asked for it; bytes until the next metadata block.
        var metaInterval: Int?
        var untilMeta: Int
        var lastTitle: String?
    }

    /// What the station says about itself (`GET /live/{mood}/now`).
    struct Status: Sendable {
        var clockS: Double
        var entries: [LiveMix.Entry]
        var onAir: Int
        /// Stream time the track on air went on air.
        var onAirS: Double?
        var listeners: Int
        /// Rendered audio ahead of the clock (s), and how often the clock has caught up with the render.
        var bufferS: Double
        var underruns: Int
    }

    struct State {
        var listeners: [Int: Listener] = [:]
        var nextListener = 0
        var recent: [Format: [Chunk]] = [:]
        var mp3Wanted = false
        var producedS = 0.0
        /// Stream clock: `clockBase` + (now − `since`) · pace while someone listens, held at what has been rendered.
        var clockBase = 0.0
        var since = ContinuousClock.now
        var emptySince: ContinuousClock.Instant?
        var entries: [LiveMix.Entry] = []
        /// (stream time, stream number) of each track going on air.
        var changes: [(timeS: Double, track: Int)] = []
        var skips: [CheckedContinuation<LiveMix.SkipOutcome?, Never>] = []
        var boost: [Int64: Double] = [:]
        var taste: [Int64: Double]?
        var tasteChanged = false
        var started = false
        /// Times the clock overtook the render while someone listened (each episode once).
        var underruns = 0
        var starved = false
        var failure: String?
        var stopped = false

        /// What listeners hear now. It never passes what has been rendered: while the render is behind (an
        /// underrun), the clock waits for it, as a player buffers, so skips and now-playing follow the audio.
        func clock(pace: Double, now: ContinuousClock.Instant = .now) -> Double {
            let running = runningClock(pace: pace, now: now)
            return started ? min(running, producedS) : running
        }

        /// The clock as the wall clock alone would run it.
        func runningClock(pace: Double, now: ContinuousClock.Instant = .now) -> Double {
            guard !listeners.isEmpty else { return clockBase }
            return clockBase + (now - since) / .seconds(1) * pace
        }
    }

    let mood: MoodRegion
    let pace: Double
    let lead: Double
    static let maximumQueuedChunks = 60
    static let icyInterval = 16_000
    static let blockSeconds = 0.5
    /// libsndfile maps an Opus compression level to 256 − 250 × level kbit/s per channel: 0.64 asks for 96, so
    /// 192 kbit/s stereo (its default, 0.5, gave 264 kbit/s). At 128 kbit/s the codec's overshoot of the limiter
    /// was 0.4 dB larger (see ``LiveMix/streamRequest(mood:)``).
    static let opusQuality = 0.64
    static let idleShutdown: Duration = .seconds(60)
    /// Wall time a listener's queue takes to fill at this pace: a listener that reads nothing for this long is
    /// dropped, and its connection hung up.
    var stallLimit: TimeAmount {
        .nanoseconds(Int64(Double(Self.maximumQueuedChunks) * Self.blockSeconds / pace * 1e9))
    }
    let state = Mutex(State())
    private let makeMix: @Sendable () throws -> LiveMix

    /// - Parameters:
    ///   - pace: stream seconds per wall second (1 for listeners; tests and benchmarks run faster).
    ///   - lead: seconds the render keeps ahead of the clock.
    ///   - makeMix: builds the mix on the station's thread (it reads the library).
    init(mood: MoodRegion, pace: Double, lead: Double, makeMix: @escaping @Sendable () throws -> LiveMix) {
        self.mood = mood
        self.pace = pace
        self.lead = lead
        self.makeMix = makeMix
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "aidj-live-\(mood.name)"
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Waits until the first audio is ready; else why not: the mix failed, or the station was stopped (a
    /// shutdown) or the caller cancelled before any audio came.
    func ready() async -> String? {
        while true {
            let (started, failure, stopped) = state.withLock { ($0.started, $0.failure, $0.stopped) }
            if let failure { return failure }
            if started { return nil }
            if stopped || Task.isCancelled { return "the stream stopped before it started" }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    var isStopped: Bool { state.withLock { $0.stopped || $0.failure != nil } }

    /// Adds a listener: the returned stream yields the audio from the clock on (headers first), until the station
    /// ends or drops the listener.
    func listen(user: ServerUser?, format: Format, icy: Bool) -> (id: Int, stream: AsyncStream<ByteBuffer>) {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ByteBuffer.self, bufferingPolicy: .bufferingOldest(Self.maximumQueuedChunks))
        let id = state.withLock { s -> Int in
            if s.listeners.isEmpty {
                s.since = .now
                s.emptySince = nil
            }
            let clock = s.clock(pace: pace)
            let id = s.nextListener
            s.nextListener += 1
            var listener = Listener(
                user: user, format: format, continuation: continuation, metaInterval: icy ? Self.icyInterval : nil,
                untilMeta: Self.icyInterval)
            if format == .mp3 { s.mp3Wanted = true }
            // From the chunk playing now: the link's header first if the chunk does not start one.
            let recent = s.recent[format] ?? []
            if let first = recent.lastIndex(where: { $0.timeS <= clock }) ?? recent.indices.first {
                var chunks = Array(recent[first...])
                if !chunks[0].startsLink { chunks[0].bytes = chunks[0].header + chunks[0].bytes }
                // A new queue holds these few chunks (2 s of them), so none is dropped here.
                for chunk in chunks { _ = send(chunk, to: &listener, entries: s.entries) }
            }
            s.listeners[id] = listener
            return id
        }
        continuation.onTermination = { [weak self] _ in self?.leave(id) }
        return (id, stream)
    }

    func leave(_ id: Int) {
        state.withLock { s in remove(id, from: &s) }
    }

    /// Takes a listener off the station (nothing when it already left); the clock stops with the last one.
    private func remove(_ id: Int, from s: inout State) {
        let clock = s.clock(pace: pace)
        guard s.listeners.removeValue(forKey: id) != nil else { return }
        if s.listeners.isEmpty {
            s.clockBase = clock
            s.emptySince = .now
            s.mp3Wanted = false
        }
    }

    var users: [ServerUser] {
        state.withLock { s in
            var seen = Set<Int64>()
            return s.listeners.values.compactMap(\.user).filter { seen.insert($0.id).inserted }
        }
    }

    func status() -> Status {
        state.withLock { s in
            let clock = s.clock(pace: pace)
            let change = s.changes.last { $0.timeS <= clock } ?? s.changes.first
            return Status(
                clockS: clock, entries: s.entries, onAir: change?.track ?? 0, onAirS: change?.timeS,
                listeners: s.listeners.count, bufferS: s.producedS - clock, underruns: s.underruns)
        }
    }

    /// Asks the render to move on from the track on air (see ``LiveMix/skip()``); nil when the station has ended.
    func skip() async -> LiveMix.SkipOutcome? {
        await withCheckedContinuation { continuation in
            let ended = state.withLock { s -> Bool in
                if s.stopped || s.failure != nil { return true }
                s.skips.append(continuation)
                return false
            }
            if ended { continuation.resume(returning: nil) }
        }
    }

    /// Raises tracks for the rest of the session (kept at the largest boost given to each).
    func raise(_ boost: [Int64: Double]) {
        state.withLock { s in for (id, b) in boost { s.boost[id] = max(s.boost[id] ?? 0, b) } }
    }

    func setTaste(_ taste: [Int64: Double]?) {
        state.withLock { s in
            s.taste = taste
            s.tasteChanged = true
        }
    }

    func stop() {
        let (listeners, skips) = state.withLock {
            s -> ([Listener], [CheckedContinuation<LiveMix.SkipOutcome?, Never>]) in
            s.stopped = true
            defer {
                s.listeners.removeAll()
                s.skips.removeAll()
            }
            return (Array(s.listeners.values), s.skips)
        }
        for l in listeners { l.continuation.finish() }
        for k in skips { k.resume(returning: nil) }
    }

    // MARK: - The render thread

    /// Hands a chunk to a listener (ICY metadata woven in for MP3 clients that asked). False when the listener's
    /// queue is full: the caller drops it, and ends its stream only after letting go of the lock (ending it calls
    /// ``leave(_:)``, which takes the lock).
    private func send(_ chunk: Chunk, to listener: inout Listener, entries: [LiveMix.Entry]) -> Bool {
        var bytes = chunk.bytes
        if let interval = listener.metaInterval {
            let title = entries.first { $0.number == chunk.track }.map { e in
                [e.track.artist, e.track.title].compactMap { $0 }.joined(separator: " - ")
            }
            var out: [UInt8] = []
            var offset = 0
            while offset < bytes.count {
                let n = min(listener.untilMeta, bytes.count - offset)
                out += bytes[offset..<(offset + n)]
                offset += n
                listener.untilMeta -= n
                if listener.untilMeta == 0 {
                    out += Self.icyBlock(title == listener.lastTitle ? nil : title)
                    listener.lastTitle = title ?? listener.lastTitle
                    listener.untilMeta = interval
                }
            }
            bytes = out
        }
        if case .dropped = listener.continuation.yield(ByteBuffer(bytes: bytes)) { return false }
        return true
    }

    /// An ICY metadata block: a length byte (×16) and `StreamTitle='…';`, or a zero byte for "unchanged".
    static func icyBlock(_ title: String?) -> [UInt8] {
        guard let title else { return [0] }
        let clean = title.replacingOccurrences(of: "'", with: "’")
        var text = Array("StreamTitle='\(clean)';".utf8.prefix(255 * 16))
        let blocks = (text.count + 15) / 16
        text += [UInt8](repeating: 0, count: blocks * 16 - text.count)
        return [UInt8(blocks)] + text
    }

    private func fanOut(_ chunk: Chunk, format: Format) {
        let dropped = state.withLock { s -> [AsyncStream<ByteBuffer>.Continuation] in
            s.recent[format, default: []].append(chunk)
            let clock = s.clock(pace: pace)
            s.recent[format]!.removeAll { $0.timeS < clock - 2 }
            var dropped: [AsyncStream<ByteBuffer>.Continuation] = []
            for id in Array(s.listeners.keys) where s.listeners[id]!.format == format {
                if !send(chunk, to: &s.listeners[id]!, entries: s.entries) {
                    dropped.append(s.listeners[id]!.continuation)
                    remove(id, from: &s)
                }
            }
            return dropped
        }
        // Outside the lock: ending a stream runs its termination handler, which leaves (a no-op by now).
        for continuation in dropped { continuation.finish() }
    }

    /// Renders, encodes and fans out until stopped.
    private func run() {
        let mix: LiveMix
        do {
            mix = try makeMix()
        } catch {
            let reason = "\(error)"
            state.withLock { $0.failure = reason }
            stop()
            return
        }
        var opus: StreamEncoder?
        var mp3: StreamEncoder?
        var pages = OggPages()
        var header: [UInt8] = []
        var link = -1
        let rate = Double(LiveMix.sampleRate)
        var resamplers: [Resampler] = []
        do {
            resamplers = try (0..<2).map { _ in
                try Resampler(inputRate: rate, outputRate: 48_000, quality: .high, source: "live stream")
            }
        } catch {
            state.withLock { $0.failure = "\(error)" }
            stop()
            return
        }
        while true {
            // Commands, pacing and idling.
            let (stopped, skips, boost, taste, wait, idle, mp3Wanted) = state.withLock { s in
                let clock = s.clock(pace: pace)
                let skips = s.skips
                s.skips.removeAll()
                let taste = s.tasteChanged ? Optional(s.taste) : nil
                s.tasteChanged = false
                let idle = s.emptySince.map { .now - $0 > Self.idleShutdown } ?? false
                let starved = s.started && !s.listeners.isEmpty && s.producedS < s.runningClock(pace: pace)
                if starved && !s.starved { s.underruns += 1 }
                s.starved = starved
                if starved {
                    // The clock waits here for the render.
                    s.clockBase = s.producedS
                    s.since = .now
                }
                return (
                    s.stopped, skips, s.boost, taste, s.started && s.producedS > clock + lead, idle, s.mp3Wanted
                )
            }
            if stopped { return }
            if idle {
                stop()
                return
            }
            mix.boost = boost
            if let taste { mix.taste = taste }
            if !skips.isEmpty {
                let outcome = mix.skip()
                for k in skips { k.resume(returning: outcome) }
            }
            if wait {
                Thread.sleep(forTimeInterval: 0.02)
                continue
            }
            do {
                let block = try mix.nextBlock(maximumFrames: Int(Self.blockSeconds * rate))
                let timeS = Double(block.startFrame) / rate
                let frames = block.interleaved.count / 2
                var startsLink = false
                if block.onAir != link {
                    // The old link's last pages end it; the new link starts with its own headers.
                    if let opus {
                        let last = pages.split(opus.finish()).flatMap(\.bytes)
                        if !last.isEmpty {
                            fanOut(
                                Chunk(bytes: last, timeS: timeS, track: link, header: header, startsLink: false),
                                format: .opus)
                        }
                    }
                    link = block.onAir
                    let entry = mix.entries.first { $0.number == link }
                    opus = try StreamEncoder(
                        kind: .opus, sampleRate: 48_000, channels: 2, quality: Self.opusQuality,
                        tags: AudioTags(title: entry?.track.title, artist: entry?.track.artist, genre: mood.name))
                    startsLink = true
                    header = []
                    state.withLock { $0.changes.append((timeS, link)) }
                }
                state.withLock { s in
                    s.entries = mix.entries
                    if s.changes.count > 8 { s.changes.removeFirst(s.changes.count - 8) }
                }
                // Opus: 48 kHz.
                var left: [Float] = [], right: [Float] = []
                var l = [Float](repeating: 0, count: frames), r = [Float](repeating: 0, count: frames)
                for n in 0..<frames {
                    l[n] = block.interleaved[2 * n]
                    r[n] = block.interleaved[2 * n + 1]
                }
                try resamplers[0].process(l, count: frames, output: &left)
                try resamplers[1].process(r, count: frames, output: &right)
                let count = min(left.count, right.count)
                var resampled = [Float](repeating: 0, count: 2 * count)
                for n in 0..<count {
                    resampled[2 * n] = left[n]
                    resampled[2 * n + 1] = right[n]
                }
                let opusBytes = try opus!.encode(interleaved: resampled, frames: count)
                var audio: [UInt8] = []
                for page in pages.split(opusBytes) {
                    if page.beginsStream { header = [] }
                    if page.granule == 0 { header += page.bytes } else { audio += page.bytes }
                }
                if !audio.isEmpty || startsLink {
                    fanOut(
                        Chunk(
                            bytes: (startsLink ? header : []) + audio, timeS: timeS, track: link, header: header,
                            startsLink: startsLink), format: .opus)
                }
                if mp3Wanted {
                    if mp3 == nil {
                        mp3 = try StreamEncoder(kind: .mp3, sampleRate: LiveMix.sampleRate, channels: 2, quality: 0.4)
                    }
                    let bytes = try mp3!.encode(interleaved: block.interleaved, frames: frames)
                    if !bytes.isEmpty {
                        fanOut(
                            Chunk(bytes: bytes, timeS: timeS, track: link, header: [], startsLink: true), format: .mp3)
                    }
                } else {
                    mp3 = nil
                }
                state.withLock { s in
                    s.producedS = timeS + Double(frames) / rate
                    s.started = true
                }
            } catch {
                let reason = "\(error)"
                state.withLock { $0.failure = reason }
                stop()
                return
            }
        }
    }
}
