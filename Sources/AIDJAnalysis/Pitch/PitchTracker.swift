import Foundation

/// pYIN: probabilistic YIN fundamental-frequency tracking with a hidden Markov model (Mauch & Dixon, "pYIN: A
/// fundamental frequency estimator using probabilistic threshold distributions", ICASSP 2014), over YIN's cumulative
/// mean normalized difference (de Cheveigné & Kawahara, JASA 111(4), 2002).
///
/// Stage 1, per frame: the difference function d(τ) (computed with FFTs), normalized to d′(τ). For each of 100
/// thresholds s, weighted by a Beta(2, 18) prior (mean 0.1), the first trough of d′ below s is a period candidate;
/// a trough's probability is the prior mass of the thresholds that choose it. When no trough is below a threshold,
/// the lowest trough takes 1 % of that threshold's mass. Candidates are refined by parabolic interpolation.
///
/// Stage 2, over the whole signal: a voiced and an unvoiced state per pitch bin (20 cents). A voiced state is
/// observed with its candidates' probability, every unvoiced state with (1 − the frame's voicing) / bins. Pitch
/// moves between frames with a triangular prior over at most 35.92 octaves per second (the figure librosa's pyin uses),
/// voicing switches with probability 0.01; Viterbi picks the path. A voiced frame's frequency is the candidate in
/// its bin (exact, not the bin's centre), so the bin width does not limit the precision.
///
/// Frames quieter than 50 dB below the loudest frame, or below −80 dBFS, have no candidates (silence is unvoiced).
///
/// Stage 3, a check pYIN does not make: a voiced frame whose fundamental is missing from its spectrum, 30 dB under
/// its 2nd or 3rd harmonic, moves to the stronger of those. Two notes a fifth, fourth or octave apart have a common
/// subharmonic with a clean period, and where one rings on under the next (a sampled voice's release, a room) the
/// Viterbi path can settle there and stay as the notes change. Over 212 GM takes (five instruments, three
/// soundfonts), notes read an octave down went 11 → 6 and raw pitch accuracy stayed 0.973–0.982.
///
/// - Complexity: per frame three FFTs of ``Configuration/fftSize`` and O(bins × transition width) for the
///   Viterbi step, and one more FFT per voiced frame for stage 3; memory O(frames × bins) for its back-pointers.
public final class PitchTracker {
    public struct Configuration: Sendable {
        /// Sample rate of the input in Hz (> 0). 16 000 keeps the FFTs small; 2.1 kHz (C7) is well below Nyquist.
        public var sampleRate: Double = 16_000
        /// Samples between frames (> 0). 160 at 16 kHz: 10 ms, pYIN's hop.
        public var hopSize = 160
        /// YIN's integration window in samples (> 0): 512 at 16 kHz is 32 ms.
        public var windowSize = 512
        /// The lowest fundamental in Hz (> 0): 55 Hz, A1.
        public var minimumFrequency = 55.0
        /// The highest fundamental in Hz (> minimumFrequency, < sampleRate / 4): 2093 Hz, C7.
        public var maximumFrequency = 2093.0
        /// Pitch bins per semitone of the hidden Markov model (> 0).
        public var binsPerSemitone = 5
        /// The fastest pitch movement the model allows, in octaves per second.
        public var maximumTransitionOctavesPerSecond = 35.92
        /// Probability of switching between voiced and unvoiced from one frame to the next, in (0, 0.5).
        public var switchProbability = 0.01
        /// A voiced frame whose fundamental is this many dB weaker in the spectrum than its 2nd or 3rd harmonic is
        /// moved to the stronger of those (nil: never). Two tones a fifth, a fourth or an octave apart share a
        /// subharmonic with a clean period (441 and 659 Hz: 220 Hz), and where a note rings on under the next, the
        /// track can settle there and stay while the notes change. 30 dB leaves a wide margin for instruments whose
        /// fundamental is weak; a tone whose fundamental was filtered away (a telephone line) would read an octave
        /// or a twelfth up.
        public var missingFundamentalDecibels: Double? = 30
        /// Frames below this frequency (Hz) are not checked: the spectrum cannot separate their harmonics.
        public var missingFundamentalMinimumFrequency = 150.0
        /// The share of a threshold's prior mass the lowest trough takes when no trough is below it.
        public var noTroughProbability = 0.01
        /// Frames this far below the loudest frame (dB) are treated as silence.
        public var silenceBelowLoudestDecibels = 50.0
        /// Frames below this level (dBFS) are treated as silence.
        public var silenceFloorDecibels = -80.0

        public init() {}

        /// The shortest period searched, in samples.
        var minimumLag: Int { max(2, Int((sampleRate / maximumFrequency).rounded(.down))) }
        /// The longest period searched, in samples (one past the lowest frequency's, so a trough there is a trough).
        var maximumLag: Int { Int((sampleRate / minimumFrequency).rounded(.up)) + 1 }
        /// A power of two that holds the window plus the longest lag, so the correlation does not wrap.
        var fftSize: Int {
            var n = 2
            while n < windowSize + maximumLag + 1 { n *= 2 }
            return n
        }
    }

    public let configuration: Configuration
    private let forwardWindow: RealFFT
    private let forwardFrame: RealFFT
    private let inverse: RealInverseFFT
    /// A Hann window of ``Configuration/fftSize`` samples, for the missing-fundamental check.
    private let hannWindow: [Float]
    /// Prior mass of thresholds 0.01, 0.02, … 1.00, accumulated: `thresholdMass[k]` is the mass of thresholds ≤ k/100.
    private let cumulativeThresholdMass: [Double]

    public init(configuration: Configuration = Configuration()) {
        let c = configuration
        precondition(c.sampleRate > 0 && c.hopSize > 0 && c.windowSize > 0, "positive rate, hop and window")
        precondition(
            c.minimumFrequency > 0 && c.maximumFrequency > c.minimumFrequency
                && c.maximumFrequency < c.sampleRate / 4,
            "0 < minimumFrequency < maximumFrequency < sampleRate / 4")
        self.configuration = c
        forwardWindow = RealFFT(size: c.fftSize)
        forwardFrame = RealFFT(size: c.fftSize)
        inverse = RealInverseFFT(size: c.fftSize)
        cumulativeThresholdMass = (0...100).map { PitchTracker.betaCDF(Double($0) / 100, a: 2, b: 18) }
        let n = c.fftSize
        hannWindow = (0..<n).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n))) }
    }

    /// Tracks the fundamental of `samples` (mono, at ``Configuration/sampleRate``).
    public func track(_ samples: [Float]) -> PitchTrack {
        let c = configuration
        let frameCount = samples.isEmpty ? 0 : samples.count / c.hopSize + 1
        let hopSeconds = Double(c.hopSize) / c.sampleRate
        guard frameCount > 0 else {
            return PitchTrack(hopSeconds: hopSeconds, frequencies: [], voicedProbabilities: [])
        }
        let candidates = samples.withUnsafeBufferPointer { periodCandidates($0, frameCount: frameCount) }
        let states = viterbi(candidates, frameCount: frameCount)
        var frequencies = [Float](repeating: 0, count: frameCount)
        for frame in 0..<frameCount {
            guard let bin = states[frame] else { continue }
            let range = candidates.offsets[frame]..<candidates.offsets[frame + 1]
            var best: Candidate?
            for candidate in candidates.list[range] where candidate.bin == bin {
                if best == nil || candidate.probability > best!.probability { best = candidate }
            }
            frequencies[frame] = Float(best?.frequency ?? binCentre(bin))
        }
        if c.missingFundamentalDecibels != nil {
            samples.withUnsafeBufferPointer { liftingMissingFundamentals(&frequencies, samples: $0) }
        }
        return PitchTrack(hopSeconds: hopSeconds, frequencies: frequencies, voicedProbabilities: candidates.voicing)
    }

    /// Moves frames whose tracked fundamental is missing from the spectrum to the strongest of its 2nd and 3rd
    /// harmonics (see ``Configuration/missingFundamentalDecibels``). The spectrum is a Hann-windowed
    /// ``Configuration/fftSize`` frame around the frame's centre; a harmonic's power is the peak within 3 % of its
    /// frequency (at least one bin).
    private func liftingMissingFundamentals(_ frequencies: inout [Float], samples x: UnsafeBufferPointer<Float>) {
        let c = configuration
        guard let decibels = c.missingFundamentalDecibels else { return }
        let n = c.fftSize
        let fft = forwardWindow
        let binHertz = c.sampleRate / Double(n)
        let ratio = Float(pow(10, -decibels / 10))
        var power = [Float](repeating: 0, count: fft.binCount)
        for frame in frequencies.indices where Double(frequencies[frame]) >= c.missingFundamentalMinimumFrequency {
            let f = Double(frequencies[frame])
            let start = frame * c.hopSize - n / 2
            for i in 0..<n {
                let j = start + i
                fft.input[i] = j >= 0 && j < x.count ? x[j] * hannWindow[i] : 0
            }
            fft.execute()
            power.withUnsafeMutableBufferPointer { fft.powerSpectrum(into: $0.baseAddress!) }
            func peak(_ harmonic: Int) -> Float {
                let centre = Double(harmonic) * f / binHertz
                let reach = max(1, 0.03 * centre)
                let lo = max(0, Int((centre - reach).rounded(.down)))
                let hi = min(fft.binCount - 1, Int((centre + reach).rounded(.up)))
                return lo <= hi ? power[lo...hi].max()! : 0
            }
            let fundamental = peak(1)
            var strongest = 1
            var strongestPower = fundamental
            for harmonic in 2...3 where Double(harmonic) * f <= c.maximumFrequency {
                let p = peak(harmonic)
                if p > strongestPower {
                    strongestPower = p
                    strongest = harmonic
                }
            }
            if strongest > 1, fundamental < ratio * strongestPower {
                frequencies[frame] = Float(f * Double(strongest))
            }
        }
    }

    // MARK: - Stage 1: period candidates

    struct Candidate {
        var bin: Int
        var probability: Double
        var frequency: Double
    }

    /// Every frame's candidates in one list (`offsets[i]..<offsets[i + 1]` are frame i's) and its voicing.
    struct Candidates {
        var list: [Candidate] = []
        var offsets: [Int] = [0]
        var voicing: [Float] = []
    }

    var binCount: Int {
        let c = configuration
        let semitones =
            PitchTrack.midiPitch(hertz: c.maximumFrequency) - PitchTrack.midiPitch(hertz: c.minimumFrequency)
        return Int((semitones * Double(c.binsPerSemitone)).rounded(.down)) + 1
    }

    func bin(ofFrequency f: Double) -> Int {
        let c = configuration
        let steps = (PitchTrack.midiPitch(hertz: f) - PitchTrack.midiPitch(hertz: c.minimumFrequency))
        return min(binCount - 1, max(0, Int((steps * Double(c.binsPerSemitone)).rounded())))
    }

    func binCentre(_ bin: Int) -> Double {
        let c = configuration
        return PitchTrack.hertz(
            midiPitch: PitchTrack.midiPitch(hertz: c.minimumFrequency) + Double(bin) / Double(c.binsPerSemitone))
    }

    private func periodCandidates(_ x: UnsafeBufferPointer<Float>, frameCount: Int) -> Candidates {
        let c = configuration
        let w = c.windowSize
        let maxLag = c.maximumLag
        let minLag = c.minimumLag
        let frameLength = w + maxLag
        let n = c.fftSize
        let bins = forwardWindow.binCount
        // Frame i's window starts half a window before its centre; samples outside the signal are zero.
        func start(_ frame: Int) -> Int { frame * c.hopSize - w / 2 }

        // Window levels from a prefix sum of squares, for the silence gate.
        var prefix = [Double](repeating: 0, count: x.count + 1)
        for i in 0..<x.count { prefix[i + 1] = prefix[i] + Double(x[i]) * Double(x[i]) }
        func windowPower(_ frame: Int) -> Double {
            let lo = min(x.count, max(0, start(frame)))
            let hi = min(x.count, max(0, start(frame) + w))
            return (prefix[hi] - prefix[lo]) / Double(w)
        }
        var loudest = 0.0
        for frame in 0..<frameCount { loudest = max(loudest, windowPower(frame)) }
        let gate = max(
            loudest * pow(10, -c.silenceBelowLoudestDecibels / 10), pow(10, c.silenceFloorDecibels / 10))

        var result = Candidates()
        result.voicing.reserveCapacity(frameCount)
        result.offsets.reserveCapacity(frameCount + 1)
        var frameEnergy = [Double](repeating: 0, count: frameLength + 1)
        var difference = [Double](repeating: 0, count: maxLag + 2)
        for frame in 0..<frameCount {
            defer {
                result.offsets.append(result.list.count)
            }
            guard windowPower(frame) > gate else {  // the gate is above 0: −80 dBFS at least
                result.voicing.append(0)
                continue
            }
            let s = start(frame)
            for i in 0..<n {
                let j = s + i
                let v: Float = i < frameLength && j >= 0 && j < x.count ? x[j] : 0
                forwardFrame.input[i] = v
                forwardWindow.input[i] = i < w ? v : 0
            }
            forwardFrame.execute()
            forwardWindow.execute()
            // conj(A) · B: the correlation of the window with the frame at every lag.
            for k in 0..<bins {
                let ar = forwardWindow.output[2 * k]
                let ai = forwardWindow.output[2 * k + 1]
                let br = forwardFrame.output[2 * k]
                let bi = forwardFrame.output[2 * k + 1]
                inverse.input[2 * k] = ar * br + ai * bi
                inverse.input[2 * k + 1] = ar * bi - ai * br
            }
            inverse.execute()
            frameEnergy[0] = 0
            for i in 0..<frameLength {
                let v = Double(forwardFrame.input[i])
                frameEnergy[i + 1] = frameEnergy[i] + v * v
            }
            // d(τ) = Σ (x_j − x_{j+τ})² = E(0) + E(τ) − 2 r(τ); d′(τ) = d(τ) τ / Σ_{1…τ} d.
            let scale = 1 / Double(n)
            let e0 = frameEnergy[w]
            var running = 0.0
            difference[0] = 1
            for lag in 1...maxLag {
                let eLag = frameEnergy[lag + w] - frameEnergy[lag]
                let d = max(0, e0 + eLag - 2 * Double(inverse.output[lag]) * scale)
                running += d
                difference[lag] = running > 0 ? d * Double(lag) / running : 1
            }
            appendCandidates(difference, minLag: minLag, maxLag: maxLag, into: &result)
        }
        return result
    }

    /// The troughs of d′ in [minLag, maxLag) as candidates with their threshold-prior probabilities.
    private func appendCandidates(_ d: [Double], minLag: Int, maxLag: Int, into result: inout Candidates) {
        let c = configuration
        var lowest = Double.infinity
        var lowestIndex = -1
        var previousMinimum = 1.0  // thresholds ≤ 1, so the first trough can take every threshold above its value
        var voicing = 0.0
        let first = result.list.count
        for lag in max(minLag, 1)..<maxLag where d[lag] < d[lag - 1] && d[lag] <= d[lag + 1] {
            let value = d[lag]
            if value < previousMinimum {
                // Thresholds in (value, previousMinimum] have this trough as their first one below them.
                let mass = thresholdMass(above: value, upTo: previousMinimum)
                if mass > 0 { append(lag: lag, probability: mass) }
                voicing += mass
                previousMinimum = value
            }
            if value < lowest {
                lowest = value
                lowestIndex = lag
            }
        }
        // Thresholds at or below every trough choose none: the lowest trough takes a small share of their mass.
        if lowestIndex >= 0 {
            let mass = c.noTroughProbability * thresholdMass(above: 0, upTo: lowest)
            if mass > 0 {
                if let existing = result.list[first...].firstIndex(where: { $0.frequency == frequency(lowestIndex) }) {
                    result.list[existing].probability += mass
                } else {
                    append(lag: lowestIndex, probability: mass)
                }
                voicing += mass
            }
        }
        result.voicing.append(Float(min(1, voicing)))

        func frequency(_ lag: Int) -> Double {
            let a = d[lag - 1]
            let b = d[lag]
            let cc = d[lag + 1]
            let curvature = a - 2 * b + cc
            let shift = curvature > 0 ? max(-1, min(1, 0.5 * (a - cc) / curvature)) : 0
            return c.sampleRate / (Double(lag) + shift)
        }
        func append(lag: Int, probability: Double) {
            let f = frequency(lag)
            guard f >= c.minimumFrequency * 0.99, f <= c.maximumFrequency * 1.01 else { return }
            result.list.append(Candidate(bin: bin(ofFrequency: f), probability: probability, frequency: f))
        }
    }

    /// The prior mass of the thresholds s = 0.01 … 1.00 with lower < s ≤ upper.
    private func thresholdMass(above lower: Double, upTo upper: Double) -> Double {
        func index(_ v: Double) -> Int { min(100, max(0, Int((v * 100).rounded(.down)))) }
        // A threshold k/100 satisfies lower < k/100 when k > lower·100.
        let lo = index(lower)
        let hi = index(upper + 1e-12)
        return hi > lo ? cumulativeThresholdMass[hi] - cumulativeThresholdMass[lo] : 0
    }

    /// The regularized incomplete beta function I_x(a, b) for positive integers a, b: the binomial tail
    /// Σ_{j=a}^{a+b−1} C(a+b−1, j) x^j (1−x)^{a+b−1−j}.
    static func betaCDF(_ x: Double, a: Int, b: Int) -> Double {
        guard x > 0 else { return 0 }
        guard x < 1 else { return 1 }
        let n = a + b - 1
        var sum = 0.0
        var binomial = 1.0  // C(n, j), built up from j = 0
        for j in 0...n {
            if j > 0 { binomial *= Double(n - j + 1) / Double(j) }
            if j >= a { sum += binomial * pow(x, Double(j)) * pow(1 - x, Double(n - j)) }
        }
        return sum
    }

    // MARK: - Stage 2: Viterbi over voiced and unvoiced pitch bins

    /// The most likely state path: the voiced bin per frame, nil where unvoiced.
    private func viterbi(_ candidates: Candidates, frameCount: Int) -> [Int?] {
        let c = configuration
        let bins = binCount
        let semitonesPerFrame = c.maximumTransitionOctavesPerSecond * 12 * Double(c.hopSize) / c.sampleRate
        let reach = max(1, Int((semitonesPerFrame * Double(c.binsPerSemitone) / 2).rounded()))
        // Triangular transition weights over −reach…reach, normalized, in logs.
        let weights = (-reach...reach).map { Double(reach + 1 - abs($0)) }
        let total = weights.reduce(0, +)
        let logTransition = weights.map { log($0 / total) }
        let logStay = log(1 - c.switchProbability)
        let logSwitch = log(c.switchProbability)

        var voiced = [Double](repeating: log(0.5 / Double(bins)), count: bins)
        var unvoiced = voiced
        var bestVoiced = [Double](repeating: 0, count: bins)
        var bestVoicedFrom = [Int32](repeating: 0, count: bins)
        var bestUnvoiced = [Double](repeating: 0, count: bins)
        var bestUnvoicedFrom = [Int32](repeating: 0, count: bins)
        var observation = [Double](repeating: 0, count: bins)
        // Back-pointers: state index (voiced bins 0..<bins, unvoiced bins..<2·bins) per state per frame.
        var back = [UInt16](repeating: 0, count: frameCount * 2 * bins)
        precondition(2 * bins <= Int(UInt16.max), "too many pitch bins")

        func observe(_ frame: Int) -> Double {
            for b in 0..<bins { observation[b] = 0 }
            for candidate in candidates.list[candidates.offsets[frame]..<candidates.offsets[frame + 1]] {
                observation[candidate.bin] += candidate.probability
            }
            let v = min(1 - 1e-9, Double(candidates.voicing[frame]))
            return log((1 - v) / Double(bins))
        }

        // The first frame: a uniform start.
        var logUnvoicedObservation = observe(0)
        for b in 0..<bins {
            voiced[b] = observation[b] > 0 ? log(0.5 / Double(bins)) + log(observation[b]) : -.infinity
            unvoiced[b] = log(0.5 / Double(bins)) + logUnvoicedObservation
        }
        for frame in 1..<max(1, frameCount) {
            // Banded maxima over the previous frame: most voiced states are −∞, so scatter from the finite ones.
            for b in 0..<bins {
                bestVoiced[b] = -.infinity
                bestVoicedFrom[b] = Int32(b)
            }
            for from in 0..<bins where voiced[from] > -.infinity {
                let lo = max(0, from - reach)
                let hi = min(bins - 1, from + reach)
                for to in lo...hi {
                    let value = voiced[from] + logTransition[to - from + reach]
                    if value > bestVoiced[to] {
                        bestVoiced[to] = value
                        bestVoicedFrom[to] = Int32(from)
                    }
                }
            }
            unvoiced.withUnsafeBufferPointer { u in
                logTransition.withUnsafeBufferPointer { t in
                    for to in 0..<bins {
                        let lo = max(0, to - reach)
                        let hi = min(bins - 1, to + reach)
                        var best = -Double.infinity
                        var bestFrom = to
                        for from in lo...hi {
                            let value = u[from] + t[to - from + reach]
                            if value > best {
                                best = value
                                bestFrom = from
                            }
                        }
                        bestUnvoiced[to] = best
                        bestUnvoicedFrom[to] = Int32(bestFrom)
                    }
                }
            }
            logUnvoicedObservation = observe(frame)
            let row = frame * 2 * bins
            for b in 0..<bins {
                // Into voiced b: from voiced (stay) or unvoiced (switch).
                if observation[b] > 0 {
                    let stay = bestVoiced[b] + logStay
                    let enter = bestUnvoiced[b] + logSwitch
                    if stay >= enter {
                        voiced[b] = stay + log(observation[b])
                        back[row + b] = UInt16(bestVoicedFrom[b])
                    } else {
                        voiced[b] = enter + log(observation[b])
                        back[row + b] = UInt16(Int(bestUnvoicedFrom[b]) + bins)
                    }
                } else {
                    voiced[b] = -.infinity
                }
                let stay = bestUnvoiced[b] + logStay
                let leave = bestVoiced[b] + logSwitch
                if stay >= leave {
                    unvoiced[b] = stay + logUnvoicedObservation
                    back[row + bins + b] = UInt16(Int(bestUnvoicedFrom[b]) + bins)
                } else {
                    unvoiced[b] = leave + logUnvoicedObservation
                    back[row + bins + b] = UInt16(bestVoicedFrom[b])
                }
            }
        }
        // Backtrack from the best final state.
        var state = 0
        var best = -Double.infinity
        for b in 0..<bins {
            if voiced[b] > best {
                best = voiced[b]
                state = b
            }
            if unvoiced[b] > best {
                best = unvoiced[b]
                state = b + bins
            }
        }
        var path = [Int?](repeating: nil, count: frameCount)
        for frame in stride(from: frameCount - 1, through: 0, by: -1) {
            path[frame] = state < bins ? state : nil
            if frame > 0 { state = Int(back[frame * 2 * bins + state]) }
        }
        return path
    }
}
