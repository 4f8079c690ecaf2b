/// Which played note answers which reference note: a dynamic-programming alignment of the two note sequences
/// (Needleman–Wunsch style, the note-level form of DTW that score followers use) in which a reference note is
/// matched once, or missed, and a played note is matched once, or extra.
///
/// Four passes, coarse to fine. The first scores pitch alone (any tempo, any rubato): the same pitch +2, one or two
/// semitones off −0.4, a gap −1. Its same-pitch matches give the take's overall tempo (a Theil–Sen line), so the
/// second pass also knows *when* each reference note is expected and pays 0.6 per 150 ms of distance (at most
/// 1.8), refuses answers more than a whole gap to the nearer neighbouring note away (the line does not follow
/// rubato), and lets wrong pitches of up to an octave match when they are close in time. Its matches give a local
/// time map (``LocalTimeMap``) for the third pass, which refuses answers more than 0.6 of that gap away; the
/// third's matches rebuild the map for the fourth. Repeated notes, which pitch alone cannot tell apart, are sorted
/// out by time. (Built straight from the pitch-only matches, the local map kept the first pass's arbitrary choice
/// among repeats: with the first of three repeats left out, the next one was matched to the note after it, 677 ms
/// late, and that note reported extra. Through the overall line first, on four sets of 72 GM takes, wrong-or-missed
/// precision went 0.911 / 0.906 / 0.925 / 0.905 → 0.911 / 0.913 / 0.930 / 0.907, recall 0.958 / 0.926 / 0.953 /
/// 0.958 → 0.958 / 0.936 / 0.958 / 0.958.) A tolerance is a share of the gap to the nearer neighbour on both sides,
/// but the side of the first note before it, and of the last after it, has no slot to take from and gets the whole
/// gap (``Gaps/tolerance(share:slope:minimum:)``).
struct NoteAligner {
    /// Score of a played note answering a reference note; nil when it may not.
    struct Scoring {
        var samePitch = 2.0
        var nearPitch = -0.4  // one or two semitones off
        var farPitch = -1.0  // three to twelve semitones off (timed passes only)
        var gap = -1.0
        var timingScale = 0.15  // seconds per 0.6 of penalty
        var timingWeight = 0.6
        var timingCap = 1.8
        var minimumToleranceSeconds = 0.06
    }

    var scoring = Scoring()

    /// The share of the gap to the nearer neighbouring reference note that the last passes allow a played note
    /// from where the local time map expects it.
    static let lastPassShare = 0.6

    /// How far from its due time the last passes let a played note answer a reference note with these `gaps`, at
    /// the take's local `slope`.
    func lastPassTolerance(_ gaps: Gaps, slope: Double) -> Tolerance {
        gaps.tolerance(share: Self.lastPassShare, slope: slope, minimum: scoring.minimumToleranceSeconds)
    }

    /// How far (s) before and after its due time a played note may answer a reference note.
    struct Tolerance {
        var early: Double
        var late: Double
        /// No limit: the pitch-only pass.
        static let unlimited = Tolerance(early: .infinity, late: .infinity)
    }

    /// A reference note's distances (s, reference time) to its neighbours, nil where it has none.
    struct Gaps {
        var before: Double?
        var after: Double?
        var duration: Double

        /// The gaps around reference note `i`.
        init(around i: Int, in reference: [ScoreNote]) {
            before = i > 0 ? reference[i].onset - reference[i - 1].onset : nil
            after = i + 1 < reference.count ? reference[i + 1].onset - reference[i].onset : nil
            duration = reference[i].duration
        }

        /// `share` of the gap to the nearer neighbour (the note's duration without any), times the take's local
        /// slope, at least `minimum`, on both sides; but a side without a neighbour (before the first note, after the
        /// last) has no slot to take from and gets the whole gap. A first note attacked out of silence is timed
        /// sharply while the legato changes after it are read late, and the map expects it late with them: on
        /// PeggyWhifflesReel through MuseScore's voice, 75 ms after it came, over 0.6 of its 100-ms gap. On four sets
        /// of 72 GM takes this found one more right note (seed 7: wrong-or-missed precision 0.911 → 0.913), and
        /// changed nothing else.
        func tolerance(share: Double, slope: Double, minimum: Double) -> Tolerance {
            let nearer = [before, after].compactMap { $0 }.min() ?? duration
            let shared = max(minimum, share * nearer * slope)
            let open = max(shared, nearer * slope)
            return Tolerance(early: before == nil ? open : shared, late: after == nil ? open : shared)
        }
    }

    /// For each reference note, the index of the played note that answers it, or nil when it was missed.
    func align(reference: [ScoreNote], played: [Int], onsets: [Double]) -> [Int?] {
        let referenceTimes = reference.map(\.onset)
        var matches = run(reference: reference, played: played, onsets: onsets, expected: nil, tolerances: nil)
        let gaps = reference.indices.map { Gaps(around: $0, in: reference) }
        let pitchOnly = Self.anchors(matches, reference: reference, played: played, onsets: onsets)
        if let line = TimeLine(pitchOnly.map { ($0.reference, $0.take) }), line.slope > 0 {
            matches = run(
                reference: reference, played: played, onsets: onsets, expected: referenceTimes.map(line.takeTime),
                tolerances: gaps.map {
                    $0.tolerance(share: 1, slope: line.slope, minimum: scoring.minimumToleranceSeconds)
                })
        }
        for _ in 0..<2 {
            let anchors = Self.anchors(matches, reference: reference, played: played, onsets: onsets)
            guard anchors.count >= 2 else { break }
            let map = LocalTimeMap(anchors: anchors)
            let fits = reference.indices.map {
                map.expectation(around: $0, at: referenceTimes[$0], includingSelf: true)
            }
            let expected = fits.map { $0?.take }
            // A note may be answered no further than 0.6 of the gap to its nearer neighbour from where it was due
            // (60 ms at least): further off, it belongs to another slot. The first note's early side and the last
            // note's late side have no other slot, and get the whole gap.
            let tolerances = reference.indices.map { lastPassTolerance(gaps[$0], slope: fits[$0]?.slope ?? 1) }
            matches = run(
                reference: reference, played: played, onsets: onsets, expected: expected, tolerances: tolerances)
        }
        return matches
    }

    /// The matches at the right pitch as (reference note, reference time, take time): what the time maps are fitted
    /// through.
    static func anchors(_ matches: [Int?], reference: [ScoreNote], played: [Int], onsets: [Double])
        -> [(index: Int, reference: Double, take: Double)]
    {
        matches.enumerated().compactMap { i, j in
            guard let j, played[j] == reference[i].pitch else { return nil }
            return (i, reference[i].onset, onsets[j])
        }
    }

    /// One pass: the best-scoring alignment, pitch only when `expected` is nil.
    func run(
        reference: [ScoreNote], played: [Int], onsets: [Double], expected: [Double?]?, tolerances: [Tolerance]?
    ) -> [Int?] {
        let n = reference.count
        let m = played.count
        let width = m + 1
        var score = [Double](repeating: -.infinity, count: (n + 1) * width)
        // 0 = start, 1 = diagonal (match), 2 = up (reference missed), 3 = left (played extra)
        var move = [UInt8](repeating: 0, count: (n + 1) * width)
        score[0] = 0
        for j in 1...max(1, m) where j <= m {
            score[j] = Double(j) * scoring.gap
            move[j] = 3
        }
        for i in 1...max(1, n) where i <= n {
            score[i * width] = Double(i) * scoring.gap
            move[i * width] = 2
            for j in 1...max(1, m) where j <= m {
                var best = score[(i - 1) * width + j] + scoring.gap
                var step: UInt8 = 2
                let left = score[i * width + j - 1] + scoring.gap
                if left > best {
                    best = left
                    step = 3
                }
                if let pair = matchScore(
                    reference[i - 1].pitch, played[j - 1], onset: onsets[j - 1],
                    expected: expected?[i - 1] ?? nil, tolerance: tolerances?[i - 1] ?? .unlimited,
                    timed: expected != nil)
                {
                    let diagonal = score[(i - 1) * width + j - 1] + pair
                    if diagonal > best {
                        best = diagonal
                        step = 1
                    }
                }
                score[i * width + j] = best
                move[i * width + j] = step
            }
        }
        var matches = [Int?](repeating: nil, count: n)
        var i = n
        var j = m
        while i > 0 || j > 0 {
            switch move[i * width + j] {
            case 1:
                matches[i - 1] = j - 1
                i -= 1
                j -= 1
            case 2: i -= 1
            default: j -= 1
            }
        }
        return matches
    }

    private func matchScore(
        _ pitch: Int, _ playedPitch: Int, onset: Double, expected: Double?, tolerance: Tolerance, timed: Bool
    ) -> Double? {
        let distance = abs(pitch - playedPitch)
        var value: Double
        switch distance {
        case 0: value = scoring.samePitch
        case 1...2: value = scoring.nearPitch
        case 3...12 where timed: value = scoring.farPitch
        default: return nil
        }
        if let expected {
            guard onset >= expected - tolerance.early, onset <= expected + tolerance.late else { return nil }
            value -= min(scoring.timingCap, scoring.timingWeight * abs(onset - expected) / scoring.timingScale)
        }
        return value
    }
}
