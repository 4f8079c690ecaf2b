import Foundation

/// Whether a track has a beat to hear at all. The beat tracker always finds beats: given a tempo, its dynamic
/// programme lays a beat every period over rain, a held pad or white noise, on whatever small peaks the envelope
/// has. What such a grid lacks is a pulse that repeats: the onsets of music with a beat come back after one, two,
/// three and four beats and are scarce half-way between, while the onsets under an invented grid are as likely
/// anywhere.
///
/// The measure is the beat contrast of the envelope's autocorrelation: at each of the first four multiples of the
/// beat period, its largest value (within a frame) less the mean of its smallest values at the half-beats on
/// either side, averaged over the four. Read on the mean-removed envelope the tracker follows on weak pulses (the
/// energy flux at ``BeatTracker/weakEnergyWeight`` beside the tonal novelty), stretch by stretch at each tempo
/// section's period (a tempo change would smear one autocorrelation over the whole track), and weighted by the
/// stretches' lengths. The contrast is the periodicity measure of tempo estimation (Scheirer 1998; Ellis 2007)
/// turned from "which period" to "is there one": the trough subtraction removes the baseline a positive,
/// fluctuating envelope gives every lag, which is why the autocorrelation's height alone (``TempoCurve/strengths``)
/// or the beats' salience do not separate swelling chorales from pads (measured in `Benchmarks/datasets`'
/// ambient set, 2026-12-05: the median beat salience caught 14 of the 30 gridded ambient renders at the cost of 16
/// of 911 tracks with a beat).
public enum PulsePresence {
    /// Below this beat contrast a track has no beat, and gets no grid. Measured with `Benchmarks/datasets`
    /// (2026-12-05, over the tracked grid's span): GM pads, choir and string chords and sound effects (the
    /// ambient set, 31 of its 36 renders given a grid) read −0.02–0.17, 26 of them under 0.06 (the rest:
    /// helicopters, whose rotor is a real pulse, 0.16–0.17; one pad, one choir and one applause render
    /// 0.07–0.10); 46 game-music records 0.097–0.49; 150 chorale renders through FluidR3 0.02–0.70, choirs, the
    /// weakest, 0.02–0.27 (2 of their 17 under 0.06).
    public static let minimumContrast = 0.06

    /// Multiples of the beat period read, and the tolerance (frames) around each lag.
    static let multiples = 4
    static let toleranceFrames = 1
    /// Shortest stretch read (beats): the four-beat lag then still overlaps three quarters of it. Shorter grids
    /// are not judged and keep their beats: over a few beats the contrast of noise and of music scatter alike
    /// (an 8-second AIDJSynth breakbeat, five beats of grid, read 0.05).
    public static let minimumBeats = 16.0

    /// The beat contrast of a track's envelope over its beat grid (see the type's description).
    ///
    /// - Parameters:
    ///   - envelope: the onset envelope, one value per frame.
    ///   - frameRate: frames per second.
    ///   - beats: the grid's beat times (s).
    ///   - sections: the grid's tempo sections; each runs to the next one's start, the last to the last beat.
    /// - Returns: the contrast; nil when no stretch is long enough to read (``minimumBeats``).
    public static func contrast(
        envelope: [Float], frameRate: Double, beats: [Double], sections: [TempoSection]
    ) -> Double? {
        guard let first = beats.first, let last = beats.last, !sections.isEmpty else { return nil }
        var weighted = 0.0, total = 0.0
        for (i, section) in sections.enumerated() where section.bpm > 0 {
            let start = max(first, section.start)
            let end = i + 1 < sections.count ? min(last, sections[i + 1].start) : last
            let a = max(0, Int((start * frameRate).rounded()))
            let b = min(envelope.count, Int((end * frameRate).rounded()) + 1)
            guard b > a else { continue }
            let period = 60 * frameRate / section.bpm
            guard let value = contrast(envelope[a..<b], period: period) else { continue }
            weighted += value * Double(b - a)
            total += Double(b - a)
        }
        return total > 0 ? weighted / total : nil
    }

    /// The beat contrast of one stretch at one period (frames); nil when the stretch is shorter than
    /// ``minimumBeats`` or has no variation.
    static func contrast(_ stretch: ArraySlice<Float>, period: Double) -> Double? {
        let n = stretch.count
        guard period >= 2, Double(n) >= minimumBeats * period else { return nil }
        let mean = stretch.reduce(0, +) / Float(n)
        let x = stretch.map { Double($0 - mean) }
        func correlation(_ lag: Int) -> Double {
            var sum = 0.0
            for i in 0..<(n - lag) { sum += x[i] * x[i + lag] }
            return sum
        }
        let energy = correlation(0)
        guard energy > 0 else { return nil }
        func around(_ lag: Double) -> [Double] {
            let centre = Int(lag.rounded())
            return (max(0, centre - toleranceFrames)...(centre + toleranceFrames)).map { correlation($0) / energy }
        }
        var sum = 0.0
        for k in 1...multiples {
            let peak = around(Double(k) * period).max()!
            let before = around((Double(k) - 0.5) * period).min()!
            let after = around((Double(k) + 0.5) * period).min()!
            sum += peak - (before + after) / 2
        }
        return sum / Double(multiples)
    }
}
