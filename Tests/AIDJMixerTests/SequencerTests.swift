import AIDJAnalysis
import AIDJCore
import AIDJStore
import Foundation
import Testing

@testable import AIDJMixer

@Suite("Sequencing")
struct SequencerTests {
    /// `count` candidates at 124 BPM in A minor, energies spread over [0.2, 0.9], four minutes each.
    func candidates(_ count: Int, artists: Int? = nil) -> [MixCandidate] {
        (0..<count).map { i in
            let t = AnalysedTrack(
                id: Int64(i + 1), path: "/m/\(i).flac", title: "T\(i)", artist: "A\(artists.map { i % $0 } ?? i)",
                genre: nil, durationS: 240, bpm: 124, key: MusicalKey(tonic: 9, mode: .minor),
                energy: 0.2 + 0.7 * Double((i * 7) % count) / Double(count - 1), valence: 0.5, danceability: 0.8,
                loudnessLUFS: -10, vector: [])
            return MixCandidate(
                track: t, key: MusicalKey(tonic: 9, mode: .minor), moodFit: 1, taste: nil, score: 1,
                estimatedSeconds: 240)
        }
    }

    func rankCorrelation(_ values: [Double]) -> Double {
        let ranks = values.indices.sorted { values[$0] < values[$1] }
        var r = [Double](repeating: 0, count: values.count)
        for (rank, i) in ranks.enumerated() { r[i] = Double(rank) }
        let n = Double(values.count)
        let d2 = r.enumerated().reduce(0.0) { $0 + pow(Double($1.offset) - $1.element, 2) }
        return 1 - 6 * d2 / (n * (n * n - 1))
    }

    @Test("energy follows the requested arc; the set fills the time; the same seed gives the same set")
    func arc() throws {
        var request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: nil), minutes: 40)
        request.arc = .rise
        let pool = candidates(16)
        let order = try Sequencer(request: request).sequence(pool)
        let energies = order.map { pool[$0].track.energy }
        #expect(rankCorrelation(energies) > 0.8, "\(energies)")
        #expect(Double(order.count) * 4 >= 40 && Double(order.count - 1) * 4 < 40)
        request.arc = .fall
        let falling = try Sequencer(request: request).sequence(pool).map { pool[$0].track.energy }
        #expect(rankCorrelation(falling) < -0.8, "\(falling)")
        #expect(try Sequencer(request: request).sequence(pool) == Sequencer(request: request).sequence(pool))
    }

    @Test("no track twice, no artist again within the gap, the start track first")
    func rules() throws {
        var request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: nil), minutes: 40)
        request.artistGapMinutes = 20
        let pool = candidates(16, artists: 6)
        let order = try Sequencer(request: request).sequence(pool, startIndex: 5)
        #expect(order.first == 5)
        #expect(Set(order).count == order.count)
        // Tracks are 4 minutes: the same artist needs 5 tracks between starts.
        for (n, i) in order.enumerated() {
            for m in (n + 1)..<min(order.count, n + 5) { #expect(pool[order[m]].track.artist != pool[i].track.artist) }
        }
        // Four artists cannot keep a 20-minute gap with 4-minute tracks: the error says so.
        #expect {
            try Sequencer(request: request).sequence(candidates(16, artists: 4))
        } throws: { error in
            "\(error)".contains("artist gap")
        }
        request.minutes = 400
        #expect(throws: MixError.self) { try Sequencer(request: request).sequence(pool) }
    }

    @Test("a track that changes tempo is costed at the tempo where it meets its neighbour, not at its main tempo")
    func tempoWhereTheyMeet() {
        let request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: nil), minutes: 20)
        let pool = candidates(3)
        var changing = pool[0]
        // Mostly 124 BPM, but it ends at 132: after it, a 132 BPM track is the smooth one.
        changing.track.closingBPM = 132
        var fast = pool[1]
        fast.track.bpm = 132
        fast.track.openingBPM = 132
        fast.track.closingBPM = 132
        let steady = pool[2]
        let sequencer = Sequencer(request: request)
        #expect(sequencer.transitionCost(changing, fast) < sequencer.transitionCost(changing, steady))
        #expect(sequencer.transitionCost(steady, fast) > sequencer.transitionCost(changing, fast))
        #expect(sequencer.transitionCost(changing, fast) == sequencer.transitionCost(steady, steady))
    }

    @Test("tracks of different meters cost as much as tempi beyond reach, so a set keeps 3/4 tracks together")
    func meters() throws {
        var request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: nil), minutes: 32)
        request.arc = .flat
        var pool = candidates(8)
        // Every other track in 3/4, energies alike: nothing but the meter tells the orders apart.
        for k in pool.indices {
            pool[k].beatsPerBar = k % 2 == 0 ? 4 : 3
            pool[k].track.energy = 0.5
        }
        let sequencer = Sequencer(request: request)
        #expect(sequencer.transitionCost(pool[0], pool[1]) == sequencer.transitionCost(pool[0], pool[2]) + 20)
        var unknown = pool[1]
        unknown.beatsPerBar = nil
        #expect(sequencer.transitionCost(pool[0], unknown) == sequencer.transitionCost(pool[0], pool[2]))
        // Eight tracks of 4 minutes fill 32: one change of meter, where an alternation would have seven.
        let order = try sequencer.sequence(pool)
        let meters = order.map { pool[$0].beatsPerBar! }
        #expect(zip(meters, meters.dropFirst()).filter { $0 != $1 }.count == 1, "\(meters)")
    }

    @Test("a track without a key (drums, noise) costs no key step beside any key, and says so in the reasons")
    func keyless() throws {
        let pool = candidates(3)
        var far = pool[1], keyless = pool[2]
        far.key = MusicalKey(tonic: 3, mode: .major)  // Eb major, 5B: 4 steps from A minor (8A)
        keyless.key = nil
        let sequencer = Sequencer(request: MixRequest(mood: .custom(energy: nil, valence: nil, bpm: nil), minutes: 12))
        #expect(sequencer.transitionCost(pool[0], keyless) == sequencer.transitionCost(pool[0], pool[1]))
        #expect(sequencer.transitionCost(keyless, far) == sequencer.transitionCost(pool[0], pool[1]))
        #expect(sequencer.transitionCost(pool[0], far) == sequencer.transitionCost(pool[0], pool[1]) + 10)
        let reasons = TransitionPlanner(request: sequencer.request).transitionReasons(
            pool[0], keyless, sequencer: sequencer)
        #expect(reasons.key == "8A → – (Camelot distance 0, no key on one side)", "\(reasons.key)")
    }
}
