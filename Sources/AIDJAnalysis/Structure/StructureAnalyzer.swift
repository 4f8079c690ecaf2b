import Foundation

/// A passage of a track with one role in its arrangement, as a DJ reads it.
public struct StructureSection: Sendable, Equatable, Codable {
    /// The section's role, from its level and density against the rest of the track.
    public enum Label: String, Sendable, Codable, CaseIterable {
        /// Before the first main section.
        case intro
        /// A quieter passage that rises into the main section after it.
        case build
        /// The full arrangement (a drop, a chorus): at the track's main level with its low end.
        case main
        /// A quieter passage between main sections.
        case breakdown
        /// After the last main section.
        case outro
    }

    /// Start and end (s). Sections tile the track: each starts where the one before ends, the first at 0 and the
    /// last ends at the track's end.
    public var start: Double
    public var end: Double
    public var label: Label
    /// Mean level against the track's main level (dB): about 0 in a main section, below it in a breakdown.
    public var levelDB: Double
    /// True when a beat is heard through most of it (a clear pulse in the tempo curve).
    public var hasBeat: Bool

    public init(start: Double, end: Double, label: Label, levelDB: Double, hasBeat: Bool) {
        self.start = start
        self.end = end
        self.label = label
        self.levelDB = levelDB
        self.hasBeat = hasBeat
    }
}

/// Finds a track's sections (intro, build, main, breakdown, outro) for the mixer, which leaves a track in its
/// outro or a breakdown and brings the next one in so that its first main section lands on a phrase.
///
/// The track is cut into bars (on its beat grid; two-second blocks without one). Each bar gets its mean chroma,
/// timbre (MFCC 1–12), level, low-band level and onset density. Three self-similarity matrices (chroma by cosine,
/// timbre and energy by Gaussian distance of z-scores) are averaged, and a checkerboard kernel with a Gaussian
/// taper slid along the diagonal gives the novelty curve (Foote 2000, "Automatic audio segmentation using a
/// measure of audio novelty", ICME). Its strongest peaks at least ``minimumBars`` apart become boundaries, each
/// moved to a phrase start within two bars. Sections are then labelled by level and low end against the track's
/// main level (the 75th percentile of its bar levels, as for the mix cues). Neighbours with the same label (other
/// than main) and the same beat are merged: an intro is one section, while two main sections with different
/// sound (a verse and a chorus, two drops) stay apart.
public struct StructureAnalyzer: Sendable {
    /// Half width of the checkerboard kernel, in bars: the passage compared on each side of a boundary.
    public var kernelBars = 8
    /// Fewest bars between two boundaries (and half as many from either end of the music).
    public var minimumBars = 8
    /// A novelty peak must reach this (the kernel's mean within-side similarity less its mean across-side
    /// similarity, in [0, 1]) and this share of the track's highest peak.
    public var minimumNovelty = 0.06
    public var relativeNovelty = 0.25
    /// A section within this many dB of the main level, whose low band is within ``lowToleranceDB`` of the main
    /// low level, is a main section.
    public var mainToleranceDB = 3.0
    public var lowToleranceDB = 6.0
    /// A quieter section whose last third is this much louder than its first (dB), followed by a main section,
    /// is a build.
    public var buildRiseDB = 3.0
    /// Beats that stand this far out of the onsets (``salience(_:_:from:to:)``) are heard: drum grooves of
    /// real game soundtracks read 2.6–4.6, their beatless ambient passages 1.5–2.4 (`warzone2100-music`,
    /// `hyperrogue-music`).
    public var beatSalience = 2.5
    /// A passage whose mean onset strength is under this share of the track's has no beat to hear: pads alone
    /// read 0.03–0.04, beatless intros and endings of game tracks 0.15–0.21, their sparsest drum passages 0.29.
    public var minimumOnsetShare = 0.2
    /// Block length without a beat grid (s).
    public var blockSeconds = 2.0

    public init() {}

    /// The sections of a track.
    ///
    /// - Parameters:
    ///   - frames: the frame features.
    ///   - grid: the beat grid (its downbeats give the bars; phrase starts the snapping points).
    ///   - curve: the tempo curve, whose strengths say where a beat is heard (nil without a beat).
    ///   - sound: where sound starts and ends (nil for silence: no sections).
    ///   - duration: the track's length (s).
    public func analyze(
        frames: FrameFeatures, grid: BeatGrid, curve: TempoCurve?, sound: (first: Double, last: Double)?,
        duration: Double
    ) -> [StructureSection] {
        guard let sound, sound.last > sound.first, frames.frameCount > 0 else { return [] }
        // Units: bars, else blocks. `phrases` are the unit indices a boundary may snap to.
        var bounds: [Double] = []
        var phrases: Set<Int> = []
        let downbeats = grid.times.indices.filter { grid.barPositions[$0] == 1 }
        let inBars = downbeats.count >= 2 * minimumBars
        if inBars {
            let phraseStarts = Set(grid.phraseStarts)
            for (k, i) in downbeats.enumerated() {
                if phraseStarts.contains(i) { phrases.insert(k) }
                bounds.append(grid.times[i])
            }
            // Whole bars on past the grid's ends while there is sound (a fade-out after the last beat, a pickup
            // before the first downbeat): those are sections too.
            let firstBar = bounds[1] - bounds[0], lastBar = bounds[bounds.count - 1] - bounds[bounds.count - 2]
            repeat {
                bounds.append(bounds[bounds.count - 1] + lastBar)
            } while bounds[bounds.count - 1] < sound.last - lastBar / 2
            var head: [Double] = []
            while (head.first ?? bounds[0]) - firstBar > sound.first - firstBar / 2,
                (head.first ?? bounds[0]) - firstBar >= 0
            {
                head.insert((head.first ?? bounds[0]) - firstBar, at: 0)
            }
            phrases = Set(phrases.map { $0 + head.count })
            bounds = head + bounds
        } else {
            bounds = Array(stride(from: sound.first, through: sound.last, by: blockSeconds))
            if bounds.count < 2 || bounds[bounds.count - 1] < sound.last { bounds.append(sound.last) }
        }
        let units = bounds.count - 1
        let features = unitFeatures(frames, bounds: bounds)
        // Boundaries (unit indices).
        var cuts: [Int] = []
        if units >= 2 * minimumBars {
            let novelty = self.novelty(features, units: units)
            let peak = novelty.max() ?? 0
            let threshold = max(minimumNovelty, relativeNovelty * peak)
            let edge = minimumBars / 2
            let candidates = (edge...(units - edge)).filter { k in
                novelty[k] >= threshold
                    && (max(edge, k - minimumBars / 2)...min(units - edge, k + minimumBars / 2)).allSatisfy {
                        novelty[$0] <= novelty[k]
                    }
            }
            for k in candidates.sorted(by: { novelty[$0] > novelty[$1] }) {
                // Onto a phrase start within two bars, the nearest (the earlier on a tie).
                let snapped =
                    phrases.filter { abs($0 - k) <= 2 }.min { (abs($0 - k), $0) < (abs($1 - k), $1) } ?? k
                guard snapped >= edge, snapped <= units - edge,
                    cuts.allSatisfy({ abs($0 - snapped) >= minimumBars })
                else { continue }
                cuts.append(snapped)
            }
            cuts.sort()
        }
        // Sections over the units, then labelled.
        let starts = [0] + cuts, ends = cuts + [units]
        let main = percentile(features.level, 0.75), mainLow = percentile(features.low, 0.75)
        var sections: [StructureSection] = zip(starts, ends).map { a, b in
            let level = 10 * log10(features.power[a..<b].reduce(0, +) / Double(b - a) + 1e-12)
            let low = 10 * log10(features.lowPower[a..<b].reduce(0, +) / Double(b - a) + 1e-12)
            let isMain = level >= main - mainToleranceDB && low >= mainLow - lowToleranceDB
            return StructureSection(
                start: bounds[a], end: bounds[b], label: isMain ? .main : .breakdown,
                levelDB: ((level - main) * 10).rounded() / 10,
                hasBeat: inBars && hasBeat(curve, frames: frames, grid: grid, from: bounds[a], to: bounds[b]))
        }
        if !sections.contains(where: { $0.label == .main }),
            let loudest = sections.indices.max(by: { sections[$0].levelDB < sections[$1].levelDB })
        {
            sections[loudest].label = .main
        }
        let first = sections.firstIndex { $0.label == .main }!, last = sections.lastIndex { $0.label == .main }!
        for i in sections.indices where sections[i].label != .main {
            sections[i].label = i < first ? .intro : i > last ? .outro : .breakdown
            // A quieter passage that rises into a main section is a build.
            if i + 1 < sections.count, sections[i + 1].label == .main, i + 1 <= last, sections[i].label != .outro,
                i > 0,
                rise(features.level, from: starts[i], to: ends[i]) >= buildRiseDB
            {
                sections[i].label = .build
            }
        }
        // Neighbours with the same role are one section.
        var merged: [StructureSection] = []
        for s in sections {
            if var previous = merged.last, previous.label == s.label, previous.hasBeat == s.hasBeat,
                s.label != .main
            {
                let a = previous.end - previous.start, b = s.end - s.start
                previous.levelDB = ((previous.levelDB * a + s.levelDB * b) / max(a + b, 1e-9) * 10).rounded() / 10
                previous.hasBeat = (previous.hasBeat ? a : 0) + (s.hasBeat ? b : 0) >= (a + b) / 2
                previous.end = s.end
                merged[merged.count - 1] = previous
            } else {
                merged.append(s)
            }
        }
        // The sections tile the whole file: from 0 to its end (bars extended past the last beat may run over it by
        // part of a bar; a section that would start there joins the one before).
        merged[0].start = 0
        while merged.count > 1, merged[merged.count - 1].start >= duration { merged.removeLast() }
        merged[merged.count - 1].end = max(duration, merged[merged.count - 1].start + 1e-3)
        return merged
    }

    /// Per-unit features.
    struct UnitFeatures {
        /// Mean power (linear) and its level in dB; the same below 150 Hz.
        var power: [Double] = [], level: [Double] = []
        var lowPower: [Double] = [], low: [Double] = []
        var onset: [Double] = []
        /// Mean chroma (12 per unit, unit length) and mean timbre (12 per unit).
        var chroma: [[Double]] = [], timbre: [[Double]] = []
    }

    func unitFeatures(_ frames: FrameFeatures, bounds: [Double]) -> UnitFeatures {
        var u = UnitFeatures()
        let t = FrameFeatures.timbreCount
        let hasTimbre = frames.timbre.count == frames.frameCount * t
        for k in 0..<(bounds.count - 1) {
            let a = frames.frame(at: bounds[k]), b = max(a + 1, min(frames.frameCount, frames.frame(at: bounds[k + 1])))
            let n = Double(b - a)
            var power = 0.0, low = 0.0, onset = 0.0
            var chroma = [Double](repeating: 0, count: 12), timbre = [Double](repeating: 0, count: t)
            for f in a..<b {
                power += Double(frames.rms[f] * frames.rms[f])
                low += Double(frames.lowBandEnergy[f])
                onset += Double(frames.onset[f])
                for p in 0..<12 { chroma[p] += Double(frames.chroma[f * 12 + p]) }
                if hasTimbre { for c in 0..<t { timbre[c] += Double(frames.timbre[f * t + c]) } }
            }
            let norm = chroma.map { $0 * $0 }.reduce(0, +).squareRoot()
            u.power.append(power / n)
            u.level.append(10 * log10(power / n + 1e-12))
            u.lowPower.append(low / n)
            u.low.append(10 * log10(low / n + 1e-12))
            u.onset.append(onset / n)
            u.chroma.append(chroma.map { norm > 0 ? $0 / norm : 0 })
            u.timbre.append(timbre.map { $0 / n })
        }
        return u
    }

    /// Foote's novelty at each unit boundary `k` (between units k−1 and k), 0…units: the Gaussian-tapered mean
    /// similarity within each side less the mean similarity across, over at most ``kernelBars`` units per side.
    func novelty(_ u: UnitFeatures, units n: Int) -> [Double] {
        // Energy features and timbre, each dimension z-scored over the track.
        func zscored(_ rows: [[Double]]) -> [[Double]] {
            guard let d = rows.first?.count, d > 0 else { return rows }
            var out = rows
            for c in 0..<d {
                let column = rows.map { $0[c] }
                let mean = column.reduce(0, +) / Double(n)
                let sd = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
                for r in 0..<n { out[r][c] = sd > 1e-9 ? (rows[r][c] - mean) / sd : 0 }
            }
            return out
        }
        let energy = zscored((0..<n).map { [u.level[$0], u.low[$0], log(u.onset[$0] + 1e-6)] })
        let timbre = zscored(u.timbre)
        /// Two z-scored rows one standard deviation apart in every dimension are at similarity e^-0.5.
        func gaussian(_ rows: [[Double]], _ i: Int, _ j: Int) -> Double {
            var s = 0.0
            for c in rows[i].indices { s += (rows[i][c] - rows[j][c]) * (rows[i][c] - rows[j][c]) }
            return exp(-s / (2 * Double(max(1, rows[i].count))))
        }
        /// The mean of the three similarities; only pairs within the kernel's reach are ever needed.
        func similarity(_ i: Int, _ j: Int) -> Double {
            var cosine = 0.0
            for p in 0..<12 { cosine += u.chroma[i][p] * u.chroma[j][p] }
            return (cosine + gaussian(energy, i, j) + gaussian(timbre, i, j)) / 3
        }
        var novelty = [Double](repeating: 0, count: n + 1)
        let w = kernelBars
        let sigma = Double(w) / 2
        for k in 1..<n {
            let half = min(w, k, n - k)
            guard half >= 4 else { continue }
            var within = 0.0, withinWeight = 0.0, across = 0.0, acrossWeight = 0.0
            for a in -half..<half {
                for b in -half..<half where a != b {
                    let g =
                        exp(-(Double(a) + 0.5) * (Double(a) + 0.5) / (2 * sigma * sigma))
                        * exp(-(Double(b) + 0.5) * (Double(b) + 0.5) / (2 * sigma * sigma))
                    let s = similarity(k + a, k + b)
                    if (a < 0) == (b < 0) {
                        within += g * s
                        withinWeight += g
                    } else {
                        across += g * s
                        acrossWeight += g
                    }
                }
            }
            novelty[k] = within / withinWeight - across / acrossWeight
        }
        return novelty
    }

    /// Whether most of `from..<to` has a clear pulse: the median strength of the tempo-curve windows centred there.
    /// The beats' salience through `from..<to`: the median over its beats of the onset strength at the beat
    /// (the most within two frames) over its mean through the beat.
    func salience(_ frames: FrameFeatures, _ grid: BeatGrid, from: Double, to: Double) -> Double {
        var ratios: [Double] = []
        let times = grid.times
        for i in 0..<max(0, times.count - 1) where times[i] >= from && times[i] < to {
            let a = frames.frame(at: times[i]), b = frames.frame(at: times[i + 1])
            guard b > a + 4 else { continue }
            var peak: Float = 0
            for f in max(0, a - 2)...min(frames.frameCount - 1, a + 2) { peak = max(peak, frames.onset[f]) }
            var mean: Float = 0
            for f in a..<b { mean += frames.onset[f] }
            mean /= Float(b - a)
            ratios.append(mean > 0 ? Double(peak / mean) : 0)
        }
        ratios.sort()
        return ratios.isEmpty ? 0 : ratios[ratios.count / 2]
    }

    /// Whether a beat is heard through most of `from..<to`: its onsets are not too sparse
    /// (``minimumOnsetShare``), and the tempo curve's windows centred there have a clear
    /// pulse (median strength at least ``TempoCurve/clearPulse``), or the grid's beats stand out of the onsets
    /// (``salience(_:_:from:to:)`` at least ``beatSalience``). Either alone misses beats the other sees: a
    /// dense arrangement blurs the autocorrelation while its kicks still stand out, and a soft groove keeps its
    /// period with no sharp attacks.
    func hasBeat(_ curve: TempoCurve?, frames: FrameFeatures, grid: BeatGrid, from: Double, to: Double) -> Bool {
        guard let curve, curve.centres.count > 1 else { return false }
        // Too few onsets to hear a beat in, whatever their pattern (a pad's faint flux can look periodic).
        let a = frames.frame(at: from), b = max(a + 1, frames.frame(at: to))
        let density = Double(frames.onset[a..<b].reduce(0, +)) / Double(b - a)
        let whole = Double(frames.onset.reduce(0, +)) / Double(max(1, frames.frameCount))
        guard density >= minimumOnsetShare * whole else { return false }
        if salience(frames, grid, from: from, to: to) >= beatSalience { return true }
        var inside = curve.centres.indices.filter {
            let t = curve.centres[$0] / curve.frameRate
            return t >= from && t < to
        }.map { curve.strengths[$0] }.sorted()
        if inside.isEmpty {
            // A section shorter than the curve's hop: the nearest window.
            let middle = (from + to) / 2 * curve.frameRate
            inside =
                curve.centres.indices.min { abs(curve.centres[$0] - middle) < abs(curve.centres[$1] - middle) }
                .map { [curve.strengths[$0]] } ?? []
        }
        return !inside.isEmpty && inside[inside.count / 2] >= TempoCurve.clearPulse
    }

    /// Level of the last third of units `from..<to` over the first third (dB).
    func rise(_ level: [Double], from: Int, to: Int) -> Double {
        let third = max(1, (to - from) / 3)
        let head = level[from..<min(to, from + third)], tail = level[max(from, to - third)..<to]
        return tail.reduce(0, +) / Double(tail.count) - head.reduce(0, +) / Double(head.count)
    }

    func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))]
    }
}
