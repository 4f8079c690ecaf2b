/// Streaming spectral novelty: how much the spectrum's shape changes at each frame, as 1 − the cosine similarity
/// between the mean band vector of the `width` frames before the frame and that of the frame and the `width − 1`
/// after it (a two-window contrast, the diagonal of a checkerboard kernel over a self-similarity matrix; Foote 2000,
/// "Automatic audio segmentation using a measure of audio novelty", ICME).
///
/// Over log-compressed bands it marks a change of notes whether or not the new notes strike: a chord change in bowed
/// strings, voices or an organ reads as strongly as a piano attack, because the shape of the spectrum changes even
/// where its energy does not rise. A change of loudness alone (a swell, a fade) keeps the shape: zero on linear
/// bands, and on log-compressed ones under a tenth of a note change (a 12 dB step, `FrameAnalyzerTests`).
///
/// Push each frame's bands in order; a value comes out `width − 1` frames later, and ``finish()`` returns the last
/// ones, so the output has one value per frame pushed.
struct SpectralNovelty {
    let width: Int
    let bandCount: Int
    /// The last `2 · width` frames' bands, a ring indexed by frame number modulo its length.
    private var ring: [Float]
    private var pushed = 0
    private var past: [Float]
    private var future: [Float]

    init(bandCount: Int, width: Int = 3) {
        precondition(width >= 1 && bandCount >= 1)
        self.width = width
        self.bandCount = bandCount
        ring = [Float](repeating: 0, count: 2 * width * bandCount)
        past = [Float](repeating: 0, count: bandCount)
        future = past
    }

    /// Adds the next frame's bands (`bandCount` values); returns the novelty of frame `pushed − width` once the
    /// frames after it are in, else nil.
    mutating func push(_ bands: UnsafePointer<Float>) -> Float? {
        let slot = (pushed % (2 * width)) * bandCount
        for b in 0..<bandCount { ring[slot + b] = bands[b] }
        pushed += 1
        let frame = pushed - width
        return frame >= 0 ? novelty(at: frame, last: pushed - 1) : nil
    }

    /// Starts a new stream.
    mutating func reset() { pushed = 0 }

    /// The novelty of the frames still owed, the windows after them cut at the last frame; resets the stream.
    mutating func finish() -> [Float] {
        let last = pushed - 1
        var values: [Float] = []
        var frame = max(0, pushed - width + 1)
        while frame <= last {
            values.append(novelty(at: frame, last: last))
            frame += 1
        }
        pushed = 0
        return values
    }

    /// 1 − cos(mean of frames [frame − width, frame), mean of frames [frame, min(frame + width, last + 1))); 0 where
    /// either window is empty or silent.
    private mutating func novelty(at frame: Int, last: Int) -> Float {
        for b in 0..<bandCount {
            past[b] = 0
            future[b] = 0
        }
        let ringLength = 2 * width
        for f in max(0, frame - width)..<frame {
            let slot = (f % ringLength) * bandCount
            for b in 0..<bandCount { past[b] += ring[slot + b] }
        }
        for f in frame...min(frame + width - 1, last) {
            let slot = (f % ringLength) * bandCount
            for b in 0..<bandCount { future[b] += ring[slot + b] }
        }
        var dot: Float = 0
        var pastNorm: Float = 0
        var futureNorm: Float = 0
        for b in 0..<bandCount {
            dot += past[b] * future[b]
            pastNorm += past[b] * past[b]
            futureNorm += future[b] * future[b]
        }
        guard pastNorm > 0, futureNorm > 0 else { return 0 }
        return max(0, 1 - dot / (pastNorm * futureNorm).squareRoot())
    }
}
