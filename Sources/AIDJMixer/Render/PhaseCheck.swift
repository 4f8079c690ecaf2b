import Foundation

/// The beat phase of a beat-matched overlap as it sounds, measured before the incoming track is committed: a grid
/// whose tempo or phase is a little off (a tracker that slipped half a beat, a tempo rounded by a hair) would put
/// the two tracks' beats apart, and the stored grids cannot tell.
///
/// Method: an onset-strength envelope of each deck through the overlap (log energy of the first difference of
/// the mono signal in 512-sample frames every 128 samples, 2.9 ms, half-wave rectified change), then their
/// normalized cross-correlation over lags up to a quarter of a beat either way, refined by a parabola through the
/// peak.
///
/// A quarter of a beat, not half: on real records an onset envelope cannot tell the beat from the off-beat. On
/// four overlaps of a mix of Debian's game soundtracks, the strongest correlation within half a beat fell on the
/// wrong half-beat for one of two envelope kinds in two of them (checked against madmom's beats). A grid that
/// slipped by half a beat is the beat tracker's to fix; this check corrects what is left within a quarter. Onset envelopes and their cross-correlation are the standard way to read the
/// relative phase of two rhythmic signals (Ellis 2007 tracks beats on the same kind of envelope; DJ software
/// aligns decks the same way).
public struct PhaseCheck: Sendable, Codable, Equatable {
    /// What the renderer did with the measurement.
    public enum Action: String, Sendable, Codable {
        /// The beats already met within ``tolerance``.
        case kept
        /// The incoming track was moved by ``shiftS`` so its beats meet the outgoing ones.
        case corrected
        /// The envelopes do not correlate enough to say (a beatless or very sparse passage): the overlap was cut
        /// at its bass-swap downbeat instead of blended (``PlannedTransition/Kind/cut``).
        case unmeasurable
    }

    /// How far the incoming beats lay after the outgoing ones (s; negative: before).
    public var lagS: Double
    /// The envelopes' normalized cross-correlation at that lag, in [−1, 1].
    public var correlation: Double
    public var action: Action
    /// The move applied to the incoming track (s), −lag when corrected, else 0.
    public var shiftS: Double

    /// Beats closer than this (s) are left as they are.
    public static let tolerance = 0.002
    /// Below this correlation the measurement is not trusted. Measured against madmom's beats on each source (the
    /// straight line through them where the record keeps one tempo), over the overlaps of ten thirty-minute mixes
    /// of Debian's game soundtracks (this session's eight and the three low-correlation ones of an earlier run):
    /// between 0.10 and 0.18 the correction left 1.3, 3.2, 3.2, 3.4, 3.7, 11.6 and 13.0 ms between the beats (the
    /// earlier floor of 0.2 cut all seven instead of blending); at 0.05 and 0.06 the lag found was 8 and 15 ms off
    /// madmom's, so those stay cuts.
    public static let minimumCorrelation = 0.1
    /// The longest correction (s): a quarter of a beat at 100 BPM.
    public static let maximumShift = 0.15

    static let frame = 512
    static let hop = 128

    /// One line for the transition's reasons.
    public var reason: String {
        switch action {
        case .kept:
            String(
                format: "phase checked on the audio: beats meet within %.1f ms (onset correlation %.2f)",
                abs(lagS) * 1000, correlation)
        case .corrected:
            String(
                format:
                    "phase checked on the audio: incoming beats were %.1f ms %@, moved to meet the outgoing ones (onset correlation %.2f)",
                abs(lagS) * 1000, lagS > 0 ? "late" : "early", correlation)
        case .unmeasurable:
            String(
                format:
                    "phase not measurable on the audio (best onset correlation %.2f, at %+.1f ms): cut at the middle downbeat instead of blending, so beats no one has checked never play together",
                correlation, lagS * 1000)
        }
    }

    /// Measures two decks through an overlap.
    ///
    /// - Parameters:
    ///   - outgoing: the outgoing deck's mono samples through the overlap (as it will sound).
    ///   - incoming: the incoming deck's mono samples over the same mix time, before its fades.
    ///   - sampleRate: Hz.
    ///   - beatSeconds: the beat period through the overlap; lags up to a quarter of it (and ``maximumShift``) are
    ///     tried.
    public static func measure(outgoing: [Float], incoming: [Float], sampleRate: Int, beatSeconds: Double)
        -> PhaseCheck
    {
        let a = envelope(outgoing), b = envelope(incoming)
        let n = min(a.count, b.count)
        let hopSeconds = Double(hop) / Double(sampleRate)
        let maximumLag = min(Int(min(beatSeconds / 4, maximumShift) / hopSeconds), n / 4)
        guard n > 8, maximumLag > 0 else {
            return PhaseCheck(lagS: 0, correlation: 0, action: .unmeasurable, shiftS: 0)
        }
        let x = centred(Array(a[0..<n])), y = centred(Array(b[0..<n]))
        func correlation(_ lag: Int) -> Double {
            // y shifted by `lag` frames against x: positive lag means the incoming onsets come later.
            var sum = 0.0, xx = 0.0, yy = 0.0
            for k in max(0, -lag)..<min(n, n - lag) {
                sum += x[k] * y[k + lag]
                xx += x[k] * x[k]
                yy += y[k + lag] * y[k + lag]
            }
            return xx > 0 && yy > 0 ? sum / (xx * yy).squareRoot() : 0
        }
        let lags = Array(-maximumLag...maximumLag)
        let values = lags.map(correlation)
        let best = values.indices.max { values[$0] < values[$1] }!
        var lag = Double(lags[best])
        if best > 0 && best < values.count - 1 {
            // Parabola through the peak and its neighbours.
            let (l, c, r) = (values[best - 1], values[best], values[best + 1])
            let denominator = l - 2 * c + r
            if denominator < 0 { lag += max(-0.5, min(0.5, 0.5 * (l - r) / denominator)) }
        }
        let lagS = lag * hopSeconds, r = values[best]
        if r < minimumCorrelation {
            return PhaseCheck(lagS: lagS, correlation: r, action: .unmeasurable, shiftS: 0)
        }
        if abs(lagS) <= tolerance { return PhaseCheck(lagS: lagS, correlation: r, action: .kept, shiftS: 0) }
        return PhaseCheck(
            lagS: lagS, correlation: r, action: .corrected, shiftS: -max(-maximumShift, min(maximumShift, lagS)))
    }

    /// Onset strength every ``hop`` samples: the rise of the log energy of the first difference over a frame.
    static func envelope(_ x: [Float]) -> [Double] {
        guard x.count > frame + hop else { return [] }
        var energies: [Double] = []
        energies.reserveCapacity((x.count - frame) / hop + 1)
        x.withUnsafeBufferPointer { p in
            var start = 1
            while start + frame <= p.count {
                var e: Float = 0
                for k in start..<(start + frame) {
                    let d = p[k] - p[k - 1]
                    e += d * d
                }
                energies.append(Double(e))
                start += hop
            }
        }
        // Log with a floor 80 dB under the loudest frame, so fades and silence do not dominate.
        let floor = (energies.max() ?? 0) * 1e-8 + 1e-20
        let logs = energies.map { log10($0 + floor) }
        return (0..<logs.count).map { $0 == 0 ? 0 : max(0, logs[$0] - logs[$0 - 1]) }
    }

    static func centred(_ v: [Double]) -> [Double] {
        let mean = v.reduce(0, +) / Double(max(v.count, 1))
        return v.map { $0 - mean }
    }
}
