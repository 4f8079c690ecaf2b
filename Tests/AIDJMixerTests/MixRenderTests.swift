import AIDJAnalysis
import AIDJAudio
import AIDJCore
import AIDJIngest
import AIDJStore
import AIDJSynth
import AIDJTestSupport
import Foundation
import Testing

@testable import AIDJMixer

/// A generated library of house grooves with 8-bar intros and outros, tempi 120–127 BPM and keys along the
/// Camelot wheel (one file at 48 kHz, one mono), mixed and measured on the rendered audio.
@Suite("Mix rendering, measured on the output", .serialized)
struct MixRenderTests {
    static let library: (folder: TemporaryDirectory, store: LibraryStore) = {
        let folder = TemporaryDirectory("aidj-mix-library", removeAtExit: true)
        // (bpm, tonic, minor): 8A 8B 9A 9B 10A 10B, then 8A at 150 BPM — outside the 118–130 requests below,
        // for the echo-out test only.
        let rows: [(Double, Int, Bool)] = [
            (120, 9, true), (122, 0, false), (123, 4, true), (124, 7, false), (126, 11, true), (127, 2, false),
            (150, 9, true),
        ]
        for (i, (bpm, tonic, minor)) in rows.enumerated() {
            var spec = SongSpec(
                style: .fourOnTheFloor, bpm: bpm, keyTonic: tonic, keyIsMinor: minor, introBars: 8, bodyBars: 16,
                outroBars: 8, seed: UInt64(40 + i))
            spec.gain = 0.35 + 0.1 * Float(i % 3)
            if i == 2 { spec.sampleRate = 48_000 }
            if i == 4 { spec.stereo = false }
            let song = SongGenerator.render(spec)
            try! AudioFileWriter.write(
                song.audio, to: folder.file("house/\(i).flac"), format: .flac16,
                tags: AudioTags(title: "Groove \(i)", artist: "Artist \(i)", genre: "House"))
        }
        let store = try! LibraryStore(path: folder.file("library.sqlite"))
        _ = try! Ingestor(store: store).ingest([folder.file("house")])
        return (folder, store)
    }()

    static func request(minutes: Double) -> MixRequest {
        var request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: 118...130), minutes: minutes)
        request.transitionBars = 8
        return request
    }

    @Test("plan: duration within one track, keys within one Camelot step, beat-matched transitions on downbeats")
    func plan() throws {
        let plan = try MixPlanner(request: Self.request(minutes: 3.5)).plan(store: Self.library.store)
        let last = try #require(plan.tracks.last)
        #expect(abs(plan.durationS - 210) <= last.mixEndS - last.mixStartS, "\(plan.durationS)")
        #expect(plan.harmonicShare >= 0.9)
        #expect(plan.transitions.allSatisfy { $0.type == .beatmatch && $0.bars == 8 })
        #expect(Set(plan.tracks.map(\.id)).count == plan.tracks.count)
        // The incoming track's first bar meets the outgoing track's downbeat, and the time maps agree at both
        // ends of every overlap.
        for t in plan.transitions {
            let incoming = plan.tracks[t.to]
            #expect(abs(incoming.timeMap.mixTime(source: incoming.sourceStartS) - t.overlapStartS) < 1e-6)
            #expect(abs(plan.tracks[t.from].mixEndS - t.overlapEndS) < 1e-6)
            #expect(abs(incoming.stretchPercent) < 6)
        }
        // Same seed, same plan; the plan round-trips through JSON.
        let again = try MixPlanner(request: Self.request(minutes: 3.5)).plan(store: Self.library.store)
        #expect(again.tracks.map(\.id) == plan.tracks.map(\.id))
        let decoded = try JSONDecoder().decode(MixPlan.self, from: Data(try MixExports.json(plan).utf8))
        // Time maps are written to 0.1 ms; everything else, reasons included, comes back exactly.
        for (d, p) in zip(decoded.tracks, plan.tracks) {
            #expect(d.timeMap.points.count == p.timeMap.points.count)
            for (u, v) in zip(d.timeMap.points.joined(), p.timeMap.points.joined()) { #expect(abs(u - v) <= 0.5e-4) }
        }
        var exact = decoded
        for i in exact.tracks.indices { exact.tracks[i].timeMap = plan.tracks[i].timeMap }
        #expect(exact == plan, "every other field survives the JSON round trip")
        #expect(again == plan)
    }

    /// Energy (dB) below 100 Hz of `x` over [from, to) seconds: Hann-windowed 4096-sample frames, DFT bins 1–9
    /// (10.8–97 Hz at 44.1 kHz), summed.
    static func bassEnergy(_ x: [Float], from: Double, to: Double) -> Double {
        let n = 4096, sr = 44_100.0
        let window = (0..<n).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n)) }
        var total = 1e-20
        var start = Int(from * sr)
        while start + n <= min(Int(to * sr), x.count) {
            for bin in 1...Int(100 / (sr / Double(n))) {
                var re = 0.0, im = 0.0
                let w = 2 * Double.pi * Double(bin) / Double(n)
                for k in 0..<n {
                    let v = Double(x[start + k]) * window[k]
                    re += v * cos(w * Double(k))
                    im -= v * sin(w * Double(k))
                }
                total += re * re + im * im
            }
            start += n / 2
        }
        return 10 * log10(total)
    }

    /// |Δt| between each incoming onset and the nearest outgoing onset through every overlap, measured on solo
    /// renders (every beat at full level) with the tracks moved by `shifts`.
    static func beatPhaseErrors(
        _ plan: MixPlan, shifts: [Int], folder: TemporaryDirectory, window: Double = 0.04
    ) throws -> [Double] {
        var solos: [[Float]] = []
        for i in plan.tracks.indices {
            var renderer = MixRenderer(plan: plan)
            renderer.solo = i
            renderer.shaping = false
            renderer.trackShifts = shifts
            _ = try renderer.render(to: folder.file("solo\(i).wav"), format: .wavFloat)
            solos.append(try AudioFileReader(path: folder.file("solo\(i).wav")).readAll().mono)
        }
        var errors: [Double] = []
        for t in plan.transitions {
            let a = Onsets.detect(
                solos[t.from], sampleRate: 44_100, from: t.overlapStartS + 0.05, to: t.overlapEndS - 0.05)
            let b = Onsets.detect(
                solos[t.to], sampleRate: 44_100, from: t.overlapStartS + 0.05, to: t.overlapEndS - 0.05)
            #expect(b.count >= 16, "too few onsets to measure: \(b.count)")
            var matched = 0
            for onset in b {
                guard let nearest = a.min(by: { abs($0 - onset) < abs($1 - onset) }), abs(nearest - onset) < window
                else {
                    continue
                }
                matched += 1
                errors.append(abs(nearest - onset))
            }
            #expect(matched * 2 >= b.count, "only \(matched) of \(b.count) incoming onsets meet an outgoing one")
        }
        return errors.sorted()
    }

    @Test(
        "phase check: an incoming track planned 40 or 90 ms late is found on the audio and moved back",
        arguments: [0.040, 0.090])
    func phaseCheck(misplacement: Double) throws {
        var plan = try MixPlanner(request: Self.request(minutes: 3)).plan(store: Self.library.store)
        // Move the second track late, as a grid whose phase is off would place it.
        plan.tracks[1].mixStartS += misplacement
        plan.tracks[1].timeMap = TimeMap(
            points: plan.tracks[1].timeMap.points.map { (mix: $0[0] + misplacement, source: $0[1]) })
        let out = TemporaryDirectory("aidj-mix-phase")
        let result = try MixRenderer(plan: plan).render(to: out.file("mix.wav"), format: .wav16)
        let check = try #require(result.phaseChecks[0])
        #expect(check.action == .corrected && abs(check.shiftS + misplacement) < 0.005, "\(check)")
        // The track after it was planned against the unmoved one: once that is moved back, the two are in phase.
        let next = try #require(result.phaseChecks[1])
        #expect(abs(next.lagS) < 0.005 && result.trackShifts[2] == 0, "\(next)")
        let fixed = try Self.beatPhaseErrors(plan, shifts: result.trackShifts, folder: out)
        let p95 = fixed[min(fixed.count - 1, Int(Double(fixed.count) * 0.95))]
        #expect(p95 <= 0.010, "after the correction: beat-phase p95 \(p95 * 1000) ms")
        // Without the correction the same plan is audibly off: the measurement can tell.
        let unfixed = try Self.beatPhaseErrors(
            plan, shifts: [Int](repeating: 0, count: plan.tracks.count), folder: out, window: 0.3)
        #expect(unfixed[unfixed.count / 2] > misplacement / 2, "uncorrected median \(unfixed[unfixed.count / 2])")
        #expect(check.reason.contains("late"))
    }

    @Test("bass swap: before the swap the incoming bass is ≥ 24 dB under its solo level, after it the outgoing bass")
    func bassSwap() throws {
        let plan = try MixPlanner(request: Self.request(minutes: 3)).plan(store: Self.library.store)
        let out = TemporaryDirectory("aidj-mix-bass")
        func solo(_ i: Int, shaped: Bool) throws -> [Float] {
            var renderer = MixRenderer(plan: plan)
            renderer.solo = i
            renderer.shaping = shaped
            _ = try renderer.render(to: out.file("solo\(i)-\(shaped).wav"), format: .wavFloat)
            return try AudioFileReader(path: out.file("solo\(i)-\(shaped).wav")).readAll().mono
        }
        let beatmatched = plan.transitions.filter { $0.type == .beatmatch }
        #expect(!beatmatched.isEmpty)
        let margin = MixRenderer.bassSwapRampSeconds + 0.1
        for t in beatmatched {
            let swap = try #require(t.bassSwapS)
            let incoming = (shaped: try solo(t.to, shaped: true), full: try solo(t.to, shaped: false))
            let outgoing = (shaped: try solo(t.from, shaped: true), full: try solo(t.from, shaped: false))
            let before = (t.overlapStartS + 0.1, swap - margin), after = (swap + margin, t.overlapEndS - 0.1)
            /// How far (dB) the shaped deck's bass is under its full-level solo in a window.
            func drop(_ deck: (shaped: [Float], full: [Float]), _ window: (Double, Double)) -> Double {
                Self.bassEnergy(deck.full, from: window.0, to: window.1)
                    - Self.bassEnergy(deck.shaped, from: window.0, to: window.1)
            }
            let incomingDrop = drop(incoming, before), outgoingDrop = drop(outgoing, after)
            #expect(incomingDrop >= 24, "transition \(t.from)→\(t.to): incoming bass only \(incomingDrop) dB down")
            #expect(outgoingDrop >= 24, "transition \(t.from)→\(t.to): outgoing bass only \(outgoingDrop) dB down")
            // And the bass that should play does: the outgoing before the swap, the incoming after, at full level.
            let outgoingKept = drop(outgoing, before), incomingKept = drop(incoming, after)
            #expect(abs(outgoingKept) < 1 && abs(incomingKept) < 1, "\(outgoingKept) dB, \(incomingKept) dB")
            print(
                String(
                    format: "bass swap %d→%d: incoming %.1f dB down before the swap, outgoing %.1f dB down after",
                    t.from, t.to, incomingDrop, outgoingDrop))
        }
    }

    @Test(
        "filter sweep: the outgoing track thins from the bass up and the basses still swap; a fade is equal-power; a cut on the last downbeat"
    )
    func sweepAndFade() throws {
        let planned = try MixPlanner(request: Self.request(minutes: 3)).plan(store: Self.library.store)
        let out = TemporaryDirectory("aidj-mix-sweep")
        func solo(_ plan: MixPlan, _ i: Int, shaped: Bool) throws -> [Float] {
            var renderer = MixRenderer(plan: plan)
            renderer.solo = i
            renderer.shaping = shaped
            _ = try renderer.render(to: out.file("solo\(i)-\(shaped).wav"), format: .wavFloat)
            return try AudioFileReader(path: out.file("solo\(i)-\(shaped).wav")).readAll().mono
        }
        func decibels(_ x: [Float], _ window: (Double, Double)) -> Double {
            let range = Int(window.0 * 44_100)..<Int(window.1 * 44_100)
            return 10 * log10(range.reduce(1e-20) { $0 + Double(x[$1] * x[$1]) } / Double(range.count))
        }
        var plan = planned
        plan.transitions[0].type = .filterSweep
        let t = plan.transitions[0]
        let swap = try #require(t.bassSwapS)
        let length = t.overlapEndS - t.overlapStartS
        func at(_ from: Double, _ to: Double) -> (Double, Double) {
            (t.overlapStartS + from * length, t.overlapStartS + to * length)
        }
        let outgoing = (shaped: try solo(plan, t.from, shaped: true), full: try solo(plan, t.from, shaped: false))
        let incoming = (shaped: try solo(plan, t.to, shaped: true), full: try solo(plan, t.to, shaped: false))
        let margin = MixRenderer.bassSwapRampSeconds + 0.1
        // The basses swap as in a blend.
        let incomingBass =
            Self.bassEnergy(incoming.full, from: t.overlapStartS + 0.1, to: swap - margin)
            - Self.bassEnergy(incoming.shaped, from: t.overlapStartS + 0.1, to: swap - margin)
        let outgoingBass =
            Self.bassEnergy(outgoing.full, from: swap + margin, to: t.overlapEndS - 0.1)
            - Self.bassEnergy(outgoing.shaped, from: swap + margin, to: t.overlapEndS - 0.1)
        #expect(incomingBass >= 24 && outgoingBass >= 24, "\(incomingBass) dB, \(outgoingBass) dB")
        // Early on the high-pass is near the crossover and the outgoing track is at full level; by two thirds it
        // has risen past 1 kHz and over 80 % of the track's energy is gone, though it has not started to fade.
        let early = decibels(outgoing.full, at(0.02, 0.2)) - decibels(outgoing.shaped, at(0.02, 0.2))
        let late = decibels(outgoing.full, at(0.6, 0.72)) - decibels(outgoing.shaped, at(0.6, 0.72))
        #expect(early < 3, "outgoing \(early) dB down early in the sweep")
        #expect(late > 8, "outgoing only \(late) dB down two thirds into the sweep")
        #expect(decibels(outgoing.shaped, (t.overlapEndS + 0.1, t.overlapEndS + 1)) < -100, "silent after the sweep")

        // A plain fade: both bands of both decks at cos/sin gains (−0.7 and −8.3 dB at a quarter and three quarters).
        plan = planned
        plan.transitions[0].type = .fade
        let fadeOut = (shaped: try solo(plan, t.from, shaped: true), full: outgoing.full)
        let fadeIn = (shaped: try solo(plan, t.to, shaped: true), full: incoming.full)
        for (position, outDrop, inDrop) in [(0.25, 0.69, 8.34), (0.75, 8.34, 0.69)] {
            let window = at(position - 0.03, position + 0.03)
            let o = decibels(fadeOut.full, window) - decibels(fadeOut.shaped, window)
            let i = decibels(fadeIn.full, window) - decibels(fadeIn.shaped, window)
            #expect(abs(o - outDrop) < 1 && abs(i - inDrop) < 1, "at \(position): out \(o) dB, in \(i) dB down")
        }

        // A cut on the overlap's last downbeat (the outgoing music ends there): the swap ramp ends on it.
        plan = planned
        plan.transitions[0].type = .cut
        plan.transitions[0].bassSwapS = t.overlapEndS
        let cutOut = try solo(plan, t.from, shaped: true), cutIn = try solo(plan, t.to, shaped: true)
        let before = (t.overlapEndS - 0.5, t.overlapEndS - 0.07), after = (t.overlapEndS + 0.01, t.overlapEndS + 0.5)
        #expect(abs(decibels(outgoing.full, before) - decibels(cutOut, before)) < 0.3)
        #expect(decibels(incoming.full, before) - decibels(cutIn, before) > 60)
        #expect(abs(decibels(incoming.full, after) - decibels(cutIn, after)) < 0.3)
        #expect(decibels(cutOut, after) < -100)
    }

    @Test("an overlap whose phase cannot be measured is cut at the swap downbeat: no blend of unchecked beats")
    func cutWhenUnmeasurable() throws {
        var plan = try MixPlanner(request: Self.request(minutes: 3)).plan(store: Self.library.store)
        #expect(plan.transitions[0].type.isBeatMatched && plan.transitions[0].type != .cut)
        // The second deck plays steady noise where its groove was: no onsets to read a phase from.
        let out = TemporaryDirectory("aidj-mix-cut")
        let source = try AudioFileReader(path: plan.tracks[1].path).readAll()
        var random = SplitMix64(seed: 9)
        let noise = (0..<2).map { _ in (0..<source.frameCount).map { _ in random.uniform(bound: 0.2) } }
        try AudioFileWriter.write(
            AudioBuffer(channels: noise, sampleRate: source.sampleRate), to: out.file("noise.flac"), format: .flac16)
        plan.tracks[1].path = out.file("noise.flac")
        let result = try MixRenderer(plan: plan).render(to: out.file("mix.wav"), format: .wav16)
        let check = try #require(result.phaseChecks[0])
        #expect(check.action == .unmeasurable, "\(check)")
        let placed = plan.placed(by: result)
        #expect(placed.transitions[0].type == .cut)
        #expect(placed.transitions[0].reasons.phase?.contains("cut at the middle downbeat") == true)
        // Solo renders of the placed plan: each deck as it plays in the mix, and at full level.
        func solo(_ i: Int, shaped: Bool) throws -> [Float] {
            var renderer = MixRenderer(plan: placed)
            renderer.solo = i
            renderer.shaping = shaped
            renderer.trackShifts = result.trackShifts
            _ = try renderer.render(to: out.file("solo\(i)-\(shaped).wav"), format: .wavFloat)
            return try AudioFileReader(path: out.file("solo\(i)-\(shaped).wav")).readAll().mono
        }
        func decibels(_ x: [Float], _ from: Double, _ to: Double) -> Double {
            let range = Int(from * 44_100)..<Int(to * 44_100)
            return 10 * log10(range.reduce(1e-20) { $0 + Double(x[$1] * x[$1]) } / Double(range.count))
        }
        let swap = try #require(placed.transitions[0].bassSwapS)
        let t = placed.transitions[0]
        let before = (swap - 2, swap - 0.1), after = (swap + 0.1, min(swap + 2, t.overlapEndS))
        let outgoing = (shaped: try solo(0, shaped: true), full: try solo(0, shaped: false))
        let incoming = (shaped: try solo(1, shaped: true), full: try solo(1, shaped: false))
        // Before the swap the outgoing track plays at full level (a blend would have faded its highs by ~3 dB) and
        // the incoming is silent; after it, the other way round.
        let outgoingBefore = decibels(outgoing.full, before.0, before.1) - decibels(outgoing.shaped, before.0, before.1)
        #expect(abs(outgoingBefore) < 0.3, "outgoing \(outgoingBefore) dB down before the cut")
        let incomingBefore = decibels(incoming.full, before.0, before.1) - decibels(incoming.shaped, before.0, before.1)
        #expect(incomingBefore > 60, "incoming only \(incomingBefore) dB down before the cut")
        let outgoingAfter = decibels(outgoing.full, after.0, after.1) - decibels(outgoing.shaped, after.0, after.1)
        #expect(outgoingAfter > 60, "outgoing only \(outgoingAfter) dB down after the cut")
        let incomingAfter = decibels(incoming.full, after.0, after.1) - decibels(incoming.shaped, after.0, after.1)
        #expect(abs(incomingAfter) < 0.3, "incoming \(incomingAfter) dB down after the cut")
    }

    @Test(
        "render: beats of both tracks line up through each overlap (p95 ≤ 10 ms), loudness steady, true peak ≤ −1 dBTP")
    func render() throws {
        let plan = try MixPlanner(request: Self.request(minutes: 3)).plan(store: Self.library.store)
        let out = TemporaryDirectory("aidj-mix-out")
        let result = try MixRenderer(plan: plan).render(to: out.file("mix.wav"), format: .wav24)
        let mix = try AudioFileReader(path: out.file("mix.wav")).readAll()
        #expect(abs(mix.durationSeconds - plan.durationS) < 0.01)
        #expect(result.clippedSamples == 0)
        let meter = try LoudnessMeter(sampleRate: mix.sampleRate, channels: 2)
        let interleaved = (0..<mix.frameCount).flatMap { [mix.channels[0][$0], mix.channels[1][$0]] }
        interleaved.withUnsafeBufferPointer { meter.add(interleaved: $0.baseAddress!, frames: mix.frameCount) }
        let measured = meter.measurement()
        #expect(try #require(measured.truePeakDBTP) <= -1.0)
        #expect(ReferenceMeters.libebur128TruePeak(mix) <= -1.0, "the ceiling holds by libebur128's meter too")
        #expect(abs(try #require(measured.integratedLUFS) + 14) < 1.5, "\(measured)")
        #expect(interleaved.allSatisfy { abs($0) < 1 })
        // The render's own loudness traces: one value a second for the mix, one trace per deck, and the mix's
        // agrees with a meter run on the written file.
        #expect(abs(result.mixLoudness.lufs.count - Int(plan.durationS)) <= 1)
        #expect(result.trackLoudness.count == plan.tracks.count && result.trackLoudness.allSatisfy { $0 != nil })
        let fromFile = LoudnessMeter.shortTermProfile(
            interleaved: interleaved, sampleRate: mix.sampleRate, channels: 2, hop: 1)
        for (k, value) in result.mixLoudness.lufs.enumerated() where k < fromFile.count && k >= 3 {
            #expect(abs((value ?? -200) - fromFile[k]) < 0.2, "second \(k + 1)")
        }

        // Short-term loudness through each overlap stays within ±1.5 LU of the neighbours' average (8 s before
        // and after the overlap).
        let hop = 0.1
        let shortTerm = LoudnessMeter.shortTermProfile(
            interleaved: interleaved, sampleRate: mix.sampleRate, channels: 2, hop: hop)
        func values(_ from: Double, _ to: Double) -> [Double] {
            // Entry k covers the 3 s ending at (k + 1) · hop: use windows lying entirely inside [from, to].
            let first = Int(((from + 3) / hop).rounded(.up)) - 1, last = Int((to / hop).rounded(.down)) - 1
            return first <= last ? Array(shortTerm[max(0, first)...min(last, shortTerm.count - 1)]) : []
        }
        func energyMean(_ v: [Double]) -> Double {
            10 * log10(v.map { pow(10, $0 / 10) }.reduce(0, +) / Double(v.count))
        }
        var deviations: [Double] = []
        for t in plan.transitions {
            let before = values(t.overlapStartS - 8, t.overlapStartS), after = values(t.overlapEndS, t.overlapEndS + 8)
            let reference = (energyMean(before) + energyMean(after)) / 2
            let through = values(t.overlapStartS, t.overlapEndS)
            #expect(!through.isEmpty)
            let worst = through.map { abs($0 - reference) }.max() ?? 0
            deviations.append(worst)
            #expect(
                worst <= 1.5,
                "transition \(t.from)→\(t.to): \(worst) LU from the neighbours' \(reference): \(through.map { ($0 * 10).rounded() / 10 })"
            )
        }

        // Beat phase, measured on solo renders of each track (same stretch path, every beat at full level), placed
        // where the full render's phase checks put them.
        #expect(result.phaseChecks.compactMap { $0 }.count == plan.transitions.count)
        let errors = try Self.beatPhaseErrors(plan, shifts: result.trackShifts, folder: out)
        let p95 = errors[min(errors.count - 1, Int(Double(errors.count) * 0.95))]
        #expect(p95 <= 0.010, "beat-phase p95 \(p95 * 1000) ms over \(errors.count) beats")
        print(
            String(
                format: "mix of %d tracks: beat phase over %d beats median %.2f ms, p95 %.2f ms; short-term loudness "
                    + "through transitions at most %.2f LU from the neighbours; %.2f LUFS, %.2f dBTP",
                plan.tracks.count, errors.count, errors[errors.count / 2] * 1000, p95 * 1000, deviations.max() ?? 0,
                measured.integratedLUFS ?? 0, measured.truePeakDBTP ?? 0))
    }
}

extension MixRenderTests {
    /// A 1.5-minute plan from the 150 BPM house track, whose first transition is an echo-out (tempi too far apart).
    static func echoPlan() throws -> MixPlan {
        var request = MixRequest(mood: .custom(energy: nil, valence: nil, bpm: 118...152), minutes: 1.5)
        let store = library.store
        request.startTrackID = try #require(try store.findTracks(matching: "house/6.flac", absolutePath: nil).first)
        return try MixPlanner(request: request).plan(store: store)
    }

    @Test("echo-out where tempi are too far apart: the next track starts on the downbeat, the echo decays, no overs")
    func echoOut() throws {
        let plan = try Self.echoPlan()
        let echo = try #require(plan.transitions.first)
        #expect(echo.type == .echoOut && plan.tracks[0].bpm == 150)
        let out = TemporaryDirectory("aidj-mix-echo")
        let result = try MixRenderer(plan: plan).render(to: out.file("echo.wav"), format: .wav24)
        #expect(result.clippedSamples == 0 && (result.truePeakDBTP ?? 0) <= -1)
        // The outgoing track alone: its dry signal ends at the handover, its echo rings on, halving each beat.
        var renderer = MixRenderer(plan: plan)
        renderer.solo = 0
        _ = try renderer.render(to: out.file("solo.wav"), format: .wavFloat)
        let solo = try AudioFileReader(path: out.file("solo.wav")).readAll().mono
        func rms(_ from: Double, _ to: Double) -> Double {
            let a = Int(from * 44_100), b = min(solo.count, Int(to * 44_100))
            guard b > a else { return 0 }
            return (solo[a..<b].reduce(0.0) { $0 + Double($1 * $1) } / Double(b - a)).squareRoot()
        }
        let handover = plan.tracks[1].mixStartS
        let beat = 60 / plan.tracks[0].bpm
        let first = rms(handover, handover + 4 * beat), last = rms(handover + 8 * beat, handover + 12 * beat)
        #expect(first > 0.001, "no echo after the handover")
        #expect(last < first / 4, "the echo does not decay: \(first) → \(last)")
        #expect(abs(plan.tracks[0].mixEndS - echo.overlapEndS) < 1e-9)
    }
}

/// Percussive onsets at 0.5 ms resolution: energy over the next 3 ms at least 8× that of the previous 15 ms,
/// the strongest such moment within 60 ms.
enum Onsets {
    static func detect(_ x: [Float], sampleRate: Int, from: Double, to: Double) -> [Double] {
        let hop = sampleRate / 2000
        let start = max(0, Int(from * Double(sampleRate))), end = min(x.count, Int(to * Double(sampleRate)))
        guard end > start + 4 * hop else { return [] }
        var energy: [Double] = []
        var n = start
        while n + hop <= end {
            var e = 0.0
            for k in n..<(n + hop) { e += Double(x[k] * x[k]) }
            energy.append(e)
            n += hop
        }
        var ratios = [Double](repeating: 0, count: energy.count)
        for i in 30..<max(30, energy.count - 6) {
            let before = energy[(i - 30)..<i].reduce(0, +) / 30 + 1e-9
            let after = energy[i..<(i + 6)].reduce(0, +) / 6
            ratios[i] = after / before
        }
        var onsets: [Double] = []
        var i = 0
        while i < ratios.count {
            if ratios[i] >= 8 {
                let window = i..<min(ratios.count, i + 120)
                let best = window.max { ratios[$0] < ratios[$1] }!
                onsets.append(Double(start + best * hop) / Double(sampleRate))
                i = best + 120
            } else {
                i += 1
            }
        }
        return onsets
    }
}

extension MixRenderTests {
    @Test("an echo-out repeats on the bar's beat: a quarter of a 4/4 bar, a third of a 3/4 bar")
    func echoBeat() throws {
        let plan = try Self.echoPlan()
        let transition = try #require(plan.transitions.first)
        try #require(transition.type == .echoOut)
        let renderer = MixRenderer(plan: plan)
        let start = renderer.sample(transition.overlapStartS) - 1_000
        let barEnd = renderer.sample(plan.tracks[0].timeMap.mixTime(source: plan.tracks[0].sourceEndS)) - start
        let bar = barEnd - 1_000
        // The same bar read at 4/4 (the track's 150 BPM) and at 3/4 (a tempo of 112.5 puts 3 beats in it).
        for (bpm, beats) in [(150.0, 4), (112.5, 3)] {
            var track = plan.tracks[0]
            track.bpm = bpm
            // An impulse halfway through the bar: the echo's first repeat comes one beat after it.
            let at = 1_000 + bar / 2
            var out = [[Float]](repeating: [Float](repeating: 0, count: barEnd + 4 * bar), count: 2)
            out[0][at] = 1
            out[1][at] = 1
            renderer.echo(&out, start: start, transition: transition, track: track)
            let repeats = out[0].indices.filter { $0 > at && out[0][$0] > 1e-4 }
            let first = try #require(repeats.first, "no echo at \(bpm) BPM")
            #expect(abs(first - at - bar / beats) <= 1, "at \(bpm) BPM: echo after \(first - at), bar \(bar)")
            #expect(MixRenderer.beatsInBar(sourceSeconds: Double(bar) / 44_100, bpm: bpm) == beats)
        }
        // A bar a little off the track's tempo still counts its beats; nothing to go on counts 4.
        #expect(MixRenderer.beatsInBar(sourceSeconds: 1.8 * 1.1, bpm: 100) == 3)
        #expect(MixRenderer.beatsInBar(sourceSeconds: 2.4 * 0.9, bpm: 100) == 4)
        #expect(MixRenderer.beatsInBar(sourceSeconds: 0, bpm: 100) == 4)
    }
}
