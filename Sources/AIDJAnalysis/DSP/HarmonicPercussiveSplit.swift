/// A streaming harmonic/percussive split of band powers by median filtering (Fitzgerald 2010, "Harmonic/percussive
/// separation using median filtering", DAFx): a band's median over neighbouring frames follows what lasts (tones),
/// a frame's median over neighbouring bands follows what is broadband (hits); a soft mask, the square of the
/// percussive median over the sum of both squares, gives each band's percussive share, the rest is harmonic.
///
/// Both medians reach ``reach`` frames or bands either way (17 wide, librosa's `hpss` default kernel), edges
/// repeated. A frame's split is known once the frames ``reach`` after it are in, so ``push(_:)`` answers for the
/// frame that many before, and ``flush(_:)`` answers for the last ones. Each median keeps its window sorted and
/// trades one value per step, so a frame costs a few thousand comparisons, not two sorts per band.
final class HarmonicPercussiveSplit {
    /// Frames (and bands) each median reaches on either side.
    static let reach = 8
    static let width = 2 * reach + 1

    let bandCount: Int
    /// The last `width` frames' band powers, a ring, and each frame's median over bands (its percussive part).
    private let frames: UnsafeMutablePointer<Float>
    private let acrossBands: UnsafeMutablePointer<Float>
    private var head = 0
    /// Frames in the ring: the first frame counts reach + 1 times (the repeated edge).
    private var held = 0
    /// Each band's window over frames, kept sorted: `width` values per band.
    private let sorted: UnsafeMutablePointer<Float>
    private let bandWindow: UnsafeMutablePointer<Float>
    private let lastFrame: UnsafeMutablePointer<Float>
    private(set) var pushed = 0
    private(set) var emitted = 0
    /// The latest answer: percussive and harmonic power per band.
    let percussive: UnsafeMutablePointer<Float>
    let harmonic: UnsafeMutablePointer<Float>

    init(bandCount: Int) {
        self.bandCount = bandCount
        let w = Self.width
        func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
            p.initialize(repeating: 0, count: count)
            return p
        }
        frames = buffer(w * bandCount)
        acrossBands = buffer(w * bandCount)
        sorted = buffer(w * bandCount)
        bandWindow = buffer(w)
        lastFrame = buffer(bandCount)
        percussive = buffer(bandCount)
        harmonic = buffer(bandCount)
    }

    deinit {
        for p in [frames, acrossBands, sorted, bandWindow, lastFrame, percussive, harmonic] { p.deallocate() }
    }

    func reset() {
        head = 0
        held = 0
        pushed = 0
        emitted = 0
    }

    /// Takes the next frame's band powers. True when ``percussive`` and ``harmonic`` hold the split of the frame
    /// ``reach`` frames earlier.
    func push(_ bands: UnsafePointer<Float>) -> Bool {
        lastFrame.update(from: bands, count: bandCount)
        pushed += 1
        if held == 0 {
            for _ in 0...Self.reach { append() }
        } else {
            append()
        }
        return answerIfFull()
    }

    /// Repeats the last frame until every pushed frame has an answer; calls `body` after each answer.
    func flush(_ body: () -> Void) {
        guard pushed > 0 else { return }
        while emitted < pushed {
            append()
            if answerIfFull() { body() }
        }
    }

    /// Puts `lastFrame` into the ring (dropping the oldest when full) and into every band's sorted window.
    private func append() {
        let w = Self.width
        let slot = held < w ? (head + held) % w : head
        let row = frames + slot * bandCount
        if held == w {
            // Trade the oldest frame's values for the new ones.
            for b in 0..<bandCount { Self.replace(row[b], with: lastFrame[b], in: sorted + b * w, count: w) }
            head = (head + 1) % w
        } else {
            for b in 0..<bandCount { Self.insert(lastFrame[b], into: sorted + b * w, count: held) }
            held += 1
        }
        row.update(from: lastFrame, count: bandCount)
        medianAcrossBands(row, into: acrossBands + slot * bandCount)
    }

    /// When the ring is full, the split of its middle frame.
    private func answerIfFull() -> Bool {
        let w = Self.width
        guard held == w else { return false }
        let middle = (head + Self.reach) % w
        let power = frames + middle * bandCount, across = acrossBands + middle * bandCount
        for b in 0..<bandCount {
            let along = sorted[b * w + Self.reach]
            let p2 = across[b] * across[b], h2 = along * along
            let share = p2 + h2 > 0 ? p2 / (p2 + h2) : 0.5
            percussive[b] = power[b] * share
            harmonic[b] = power[b] - percussive[b]
        }
        emitted += 1
        return true
    }

    /// Inserts `value` into the sorted `window` of `count` values.
    private static func insert(_ value: Float, into window: UnsafeMutablePointer<Float>, count: Int) {
        var i = count
        while i > 0 && window[i - 1] > value {
            window[i] = window[i - 1]
            i -= 1
        }
        window[i] = value
    }

    /// Replaces one occurrence of `old` with `new` in the full sorted `window`, keeping it sorted.
    private static func replace(_ old: Float, with new: Float, in window: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i < count - 1 && window[i] != old { i += 1 }
        // Move the hole towards where `new` belongs.
        while i > 0 && window[i - 1] > new {
            window[i] = window[i - 1]
            i -= 1
        }
        while i < count - 1 && window[i + 1] < new {
            window[i] = window[i + 1]
            i += 1
        }
        window[i] = new
    }

    /// Each band's median over the bands `reach` either side of it in `row`, edge bands repeated: one sorted
    /// window slid along the bands.
    private func medianAcrossBands(_ row: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let w = Self.width, r = Self.reach, last = bandCount - 1
        var count = 0
        for b in -r...r {
            Self.insert(row[min(max(b, 0), last)], into: bandWindow, count: count)
            count += 1
        }
        for b in 0..<bandCount {
            out[b] = bandWindow[r]
            guard b < last else { break }
            Self.replace(row[max(b - r, 0)], with: row[min(b + r + 1, last)], in: bandWindow, count: w)
        }
    }
}
