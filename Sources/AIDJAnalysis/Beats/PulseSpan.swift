import Foundation

/// Where within a track its beat is heard: the stretch a beat grid belongs on. A track can have a beat and still
/// open or close without one: an ambient intro before the drums come in, a free coda after they stop, as ambient
/// house, trip-hop, film cues and game soundtracks do. The beat tracker lays beats over such a stretch anyway
/// (its dynamic programme follows the tempo over whatever peaks the envelope has), and the grid's extension to
/// the sounding part (``BeatGrid/maximumExtensionBeats``) added up to eight more beats over it.
///
/// The local evidence is the tempo curve's periodicity (``TempoCurve/strengths``: the onset autocorrelation at
/// one, two and four beat periods in windows of 8 s, one a second), which is level-invariant: a groove fading
/// in keeps it, a pad does not have it. Smoothed by a running median over ``smoothingWindows`` windows (a pad's
/// single swell can read periodic for a window), it is compared with the track's own typical periodicity over its
/// grid (the ``typicalQuantile`` of its windows, so a grid that spends half its length over an intro still finds
/// its beat's level): a window at less than ``heardShare`` of it has no beat to hear.
///
/// Measured on `Benchmarks/datasets/intros.py`'s 30 grooves framed by pad, choir and string intros and codas
/// (2026-12-05). Before this test the grid's ends lay up to 54 s before the labelled first beat and 21 s after the
/// last, and grooves whose tracked beats stopped at the groove still carried eight extension beats (2.7–5.8 s) into
/// the pads: beats more than 1 s from every labelled one were 9.9, 6.7 and 6.8 % of the grid (FluidR3, TimGM6mb,
/// MuseScore), and are 3.5, 2.5 and 3.3 % with it; beat F 0.932, 0.929, 0.953 → 0.973, 0.951, 0.973. Of 47
/// game-music records, the 29 whose grid the periodicity alone would cut have beat F against madmom's beats 0.857
/// → 0.863 on average (5 higher, none lower); the other 18 keep every beat, and so do the score renders, the
/// grooves without frames and the ambient set.
public struct PulseSpan: Sendable {
    /// Share of the track's typical periodicity below which a window has no beat to hear. Chosen on the dumped
    /// curves of the 30 FluidR3 frames (a prototype of this rule without the confirmation): at 0.6 every grid end
    /// came within 2.2 s of the labelled one; at 0.5, four still ran 2.8–4.4 s into the pads.
    public static let heardShare = 0.6
    /// Quantile of the grid's windows taken as the track's typical periodicity: the median would take a pad's level
    /// from a grid that spends most of its length over an intro (a drum-and-bass groove after 58 s of pad: median
    /// 0.12, upper quartile 1.35).
    public static let typicalQuantile = 0.75
    /// Windows in the running median.
    static let smoothingWindows = 5
    /// Shortest stretch (s) without a heard beat that may be cut from the tracked beats at either end: one curve
    /// window. Shorter dips are a quiet bar or a break, which a grid spans; of the beats added beyond the tracked
    /// ones, those where the beat is not heard may go.
    public static let minimumGapSeconds = TempoCurve.windowSeconds

    /// Window centres (s) and their smoothed periodicity.
    let centres: [Double]
    let smoothed: [Double]
    /// The periodicity below which no beat is heard.
    let threshold: Double

    /// The evidence of `curve` for a grid spanning `span` (s); nil for a curve of fewer than three windows (a
    /// track shorter than about 10 s), whose beats are not judged.
    public init?(curve: TempoCurve, span: ClosedRange<Double>) {
        guard curve.centres.count >= 3 else { return nil }
        let seconds = curve.centres.map { $0 / curve.frameRate }
        centres = seconds
        let half = Self.smoothingWindows / 2
        let strengths = curve.strengths
        smoothed = strengths.indices.map { i in
            let window = strengths[max(0, i - half)...min(strengths.count - 1, i + half)].sorted()
            return window[window.count / 2]
        }
        var inside = seconds.indices.filter { span.contains(seconds[$0]) }.map { strengths[$0] }.sorted()
        if inside.isEmpty { inside = strengths.sorted() }
        threshold = Self.heardShare * inside[min(inside.count - 1, Int(Self.typicalQuantile * Double(inside.count)))]
    }

    /// The smoothed periodicity at a time (s), linearly interpolated between window centres, constant beyond.
    func strength(at t: Double) -> Double {
        guard t > centres[0] else { return smoothed[0] }
        guard let i = centres.firstIndex(where: { $0 >= t }) else { return smoothed[smoothed.count - 1] }
        let f = (t - centres[i - 1]) / (centres[i] - centres[i - 1])
        return smoothed[i - 1] * (1 - f) + smoothed[i] * f
    }

    /// Whether a beat is heard at a time (s).
    public func isHeard(at t: Double) -> Bool { strength(at: t) >= threshold }

    /// The beats of a grid that lie where the beat is heard, at its ends. Each end is cut, when `isBeatless`
    /// confirms that the stretch beyond the cut has no beat:
    /// - at the crossing of the threshold, where a stretch of at least ``minimumGapSeconds`` within the grid has no
    ///   heard beat (the tracker laid beats over an intro or a coda);
    /// - otherwise at the last of the beats added beyond the tracked ones (`tracked`) that is heard, counting
    ///   outward from the tracked edge (the extension reached into a pad).
    ///
    /// Beats within the grid are kept whatever they stand on: a breakdown keeps its grid, and
    /// ``StructureAnalyzer`` marks it as having no beat.
    ///
    /// The confirmation is asked of everything before the cut (after it, for a coda), short of it by half a curve
    /// window, where the beat's first or last bars may already sound; the analysis asks ``PulsePresence`` of the
    /// sounding part of that stretch, which must be long enough to judge, on both the weak-pulse envelope and the
    /// energy alone. Periodicity alone is not enough:
    /// - it cut 8–13 s of beats out of three short FluidR3 chorales, whose periodicity dips within the piece as low,
    ///   relative to their own, as a pad's (beat F 0.968 → 0.696 on bwv137_5); their note changes still land on
    ///   the beat, and the contrast says so;
    /// - on game-music records it cut intros whose beat madmom hears (aftermath track21, legacy track4, 5 and 11,
    ///   hyperrogue mirror's coda). Their weak-pulse contrast was as low as a pad's (0.01–0.06), their energy's
    ///   was not (0.07–0.43), while the intros it rightly cut read 0.02 and 0.05 there (aftermath menu, 240 s;
    ///   track22, 45 s). The energy test gives up the cut of two more beatless intros (energy 0.09 and 0.11) and
    ///   of several pad frames of the intros set, whose contrasts over 15–30 s scatter up to 0.1.
    ///
    /// Where a record's beat starts out of silence a bar before the tracker's first beat, the stretch before is
    /// silent, too short to judge, and the extension stays.
    public func trim(
        _ times: [Double], tracked: ClosedRange<Double>, isBeatless: (ClosedRange<Double>) -> Bool = { _ in true }
    ) -> [Double] {
        guard let first = times.first, let last = times.last else { return times }
        let margin = TempoCurve.windowSeconds / 2
        // The first and last heard windows near the grid, and where the periodicity crosses the threshold there.
        let near = centres.indices.filter {
            centres[$0] >= first - margin && centres[$0] <= last + margin && smoothed[$0] >= threshold
        }
        guard let a = near.first, let b = near.last else { return times }
        let rise = a == 0 ? centres[a] : crossing(a - 1, a)
        let fall = b == centres.count - 1 ? centres[b] : crossing(b, b + 1)
        // Beats added before and after the tracked ones that are heard, from the tracked edge outward.
        var lower = times.firstIndex { $0 >= tracked.lowerBound - 1e-6 } ?? 0
        while lower > 0 && isHeard(at: times[lower - 1]) { lower -= 1 }
        var upper = times.lastIndex { $0 <= tracked.upperBound + 1e-6 } ?? times.count - 1
        while upper + 1 < times.count && isHeard(at: times[upper + 1]) { upper += 1 }
        var start = first, end = last
        let head = rise - first >= Self.minimumGapSeconds ? rise : times[lower]
        if head > first && head - margin > 0 && isBeatless(0...(head - margin)) { start = head }
        let tail = last - fall >= Self.minimumGapSeconds ? fall : times[upper]
        if tail < last && isBeatless((tail + margin)...Double.infinity) { end = tail }
        return times.filter { $0 >= start - 1e-6 && $0 <= end + 1e-6 }
    }

    /// Where the smoothed periodicity crosses the threshold between windows `i` and `j` = i + 1 (s).
    private func crossing(_ i: Int, _ j: Int) -> Double {
        let rise = smoothed[j] - smoothed[i]
        guard abs(rise) > 1e-12 else { return centres[j] }
        let f = min(1, max(0, (threshold - smoothed[i]) / rise))
        return centres[i] + f * (centres[j] - centres[i])
    }
}
