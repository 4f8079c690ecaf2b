import AIDJCore
import AIDJStore
import Foundation
import Testing

@testable import AIDJMixer

/// The endless mix on the generated grooves of ``MixRenderTests``: placements worked out on another thread
/// change nothing but when the work is done, and a skip drops the one in flight.
@Suite("Live mix", .serialized)
struct LiveMixTests {
    static func mix(lookAheadS: Double) throws -> LiveMix {
        let store = MixRenderTests.library.store
        var request = LiveMix.streamRequest(mood: .custom(energy: nil, valence: nil, bpm: 118...130))
        request.transitionBars = 8
        let mix = try LiveMix(request: request, snapshot: LibrarySnapshot(store: store), store: store)
        mix.lookAheadS = lookAheadS
        return mix
    }

    @Test("placements worked out ahead on another thread give the same audio, sample for sample, as worked out in turn")
    func aheadIsTheSame() throws {
        let inTurn = try Self.mix(lookAheadS: 0)
        let ahead = try Self.mix(lookAheadS: 60)
        var frames = 0
        var airs = Set<Int>()
        var startedAhead = 0
        while frames < 150 * LiveMix.sampleRate {
            let a = try inTurn.nextBlock()
            let b = try ahead.nextBlock()
            #expect(inTurn.pending == nil, "nothing is worked out ahead with no look-ahead")
            if ahead.pending != nil { startedAhead += 1 }
            #expect(a.startFrame == frames && b.startFrame == frames, "blocks follow each other")
            #expect(a.onAir == b.onAir)
            guard a.interleaved == b.interleaved else {
                Issue.record("the audio differs at frame \(frames)")
                return
            }
            airs.insert(a.onAir)
            frames += a.interleaved.count / 2
        }
        #expect(airs.count >= 3, "several tracks went on air: \(airs.sorted())")
        #expect(startedAhead > 0, "placements were worked out ahead")
        #expect(inTurn.entries.map(\.track.id) == ahead.entries.map(\.track.id))
    }

    @Test(
        "a skip while the next placement is being worked out drops it: the echo-out comes within a bar, the next track a bar later"
    )
    func skipDropsPending() throws {
        let mix = try Self.mix(lookAheadS: 600)
        // The second track on air for 20 s (fully in: the handover is mid-blend, and blends last 8 bars), with the
        // placement after it under way.
        var last = try mix.nextBlock()
        while last.onAir < 1 { last = try mix.nextBlock() }
        let onAir = Double(last.startFrame) / 44_100
        while Double(last.startFrame) / 44_100 < onAir + 20 { last = try mix.nextBlock() }
        let frames = last.startFrame + last.interleaved.count / 2
        #expect(mix.pending != nil)
        let generation = mix.generation
        let outcome = mix.skip()
        guard case .echoOut(let at) = outcome else {
            Issue.record("the skip was not taken: \(outcome)")
            return
        }
        #expect(mix.generation == generation + 1)
        #expect(mix.pending?.generation == mix.generation, "the next placement starts again at once")
        let bar = 4 * 60 / 118.0
        #expect(at >= Double(frames) / 44_100 && at <= Double(frames) / 44_100 + bar + 0.1)
        while last.onAir < 2 {
            last = try mix.nextBlock()
        }
        let change = Double(last.startFrame) / 44_100
        #expect(change - at <= 2 * bar + 0.1, "skip at \(at) s, next track on air at \(change) s")
        // And the stream goes on.
        for _ in 0..<40 { _ = try mix.nextBlock() }
    }
}

@Suite("Decoded sources kept for a live mix")
struct SourceCacheTests {
    final class Counter: @unchecked Sendable {
        let lock = NSLock()
        var decodes: [String] = []
        func count(_ path: String) {
            lock.lock()
            decodes.append(path)
            lock.unlock()
        }
    }

    @Test("a source is decoded once while kept; the least recently used goes first; a failure is not kept")
    func keeps() throws {
        let cache = SourceCache(capacity: 2)
        let counter = Counter()
        func get(_ path: String) throws -> [[Float]] {
            try cache.source(path) {
                counter.count(path)
                return [[Float(path.count)]]
            }
        }
        #expect(try get("a") == [[1]])
        _ = try get("bb")
        _ = try get("a")  // a is now the most recent
        _ = try get("ccc")  // evicts bb
        _ = try get("a")
        _ = try get("bb")
        #expect(counter.decodes == ["a", "bb", "ccc", "bb"])
        struct Broken: Error {}
        #expect(throws: Broken.self) { try cache.source("x") { throw Broken() } }
        #expect(try cache.source("x") { [[7]] } == [[7]], "a failed decode is tried again")
    }

    @Test("a thread asking for a source another is decoding waits for it instead of decoding it again")
    func sharesDecoding() async throws {
        let cache = SourceCache(capacity: 2)
        let counter = Counter()
        let results = try await withThrowingTaskGroup(of: [[Float]].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try cache.source("long") {
                        counter.count("long")
                        Thread.sleep(forTimeInterval: 0.3)
                        return [[1, 2, 3]]
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 == [[1, 2, 3]] })
        #expect(counter.decodes == ["long"])
    }
}
