import Foundation

/// A region of the mood space: a box of energy × valence (both in [0, 1], as AIDJAnalysis's `MoodEstimator`
/// measures them) plus a tempo range. Named moods are the rows of ``MoodSpace/named``; `recommend` and the mixer
/// both read that one table.
public struct MoodRegion: Codable, Sendable, Equatable {
    public var name: String
    public var energy: ClosedRange<Double>
    public var valence: ClosedRange<Double>
    public var bpm: ClosedRange<Double>
    public var summary: String

    public init(
        name: String, energy: ClosedRange<Double>, valence: ClosedRange<Double>, bpm: ClosedRange<Double>,
        summary: String = ""
    ) {
        self.name = name
        self.energy = energy
        self.valence = valence
        self.bpm = bpm
        self.summary = summary
    }

    /// A region around a requested point: ± `radius` in energy and valence, any tempo unless given.
    public static func custom(
        energy: Double?, valence: Double?, bpm: ClosedRange<Double>?, radius: Double = 0.12
    ) -> MoodRegion {
        func around(_ x: Double?) -> ClosedRange<Double> {
            guard let x else { return 0...1 }
            return max(0, x - radius)...min(1, x + radius)
        }
        var parts: [String] = []
        if let energy { parts.append(String(format: "energy %.2f", energy)) }
        if let valence { parts.append(String(format: "valence %.2f", valence)) }
        if let bpm { parts.append(String(format: "%.0f–%.0f BPM", bpm.lowerBound, bpm.upperBound)) }
        return MoodRegion(
            name: parts.isEmpty ? "any" : "custom", energy: around(energy), valence: around(valence),
            bpm: bpm ?? 1...1000, summary: parts.joined(separator: ", "))
    }

    /// How well a track fits, in [0, 1]: 1 inside the region, falling off as a Gaussian of the distance outside
    /// it — σ = 0.1 in the energy/valence plane, σ = 8 % of tempo outside the tempo range.
    public func fit(energy e: Double, valence v: Double, bpm: Double) -> Double {
        let de = distance(e, to: energy), dv = distance(v, to: valence)
        let plane = exp(-(de * de + dv * dv) / (2 * 0.1 * 0.1))
        return plane * tempoFit(bpm)
    }

    /// The tempo term of ``fit(energy:valence:bpm:)``.
    public func tempoFit(_ bpm: Double) -> Double {
        guard bpm > 0 else { return 0.5 }  // beatless: neither in nor out
        let miss: Double
        if bpm < self.bpm.lowerBound {
            miss = (self.bpm.lowerBound - bpm) / self.bpm.lowerBound
        } else if bpm > self.bpm.upperBound {
            miss = (bpm - self.bpm.upperBound) / self.bpm.upperBound
        } else {
            miss = 0
        }
        return exp(-(miss * miss) / (2 * 0.08 * 0.08))
    }

    /// The energy at relative height `level` (0 = bottom of the region, 1 = top): the mixer's arcs move inside
    /// the region this way.
    public func energy(atLevel level: Double) -> Double {
        energy.lowerBound + max(0, min(1, level)) * (energy.upperBound - energy.lowerBound)
    }

    /// "fits chill: energy 0.31, valence 0.62, 96 BPM".
    public func reason(energy e: Double, valence v: Double, bpm: Double) -> String {
        String(format: "fits %@: energy %.2f, valence %.2f, %.0f BPM", name, e, v, bpm)
    }

    private func distance(_ x: Double, to range: ClosedRange<Double>) -> Double {
        x < range.lowerBound ? range.lowerBound - x : x > range.upperBound ? x - range.upperBound : 0
    }
}

/// The named moods.
///
/// The regions follow the valence/arousal (circumplex) reading of musical emotion (Russell 1980; Eerola &
/// Vuoskoski 2011): calm-positive moods low in energy and high in valence, sad ones low in both, party and workout
/// high in energy. Tempo ranges follow common DJ practice: house and disco 115–135 BPM for parties, 125–180 for
/// running and training, under 110 for chill-out and downtempo.
public enum MoodSpace {
    public static let named: [MoodRegion] = [
        MoodRegion(
            name: "chill", energy: 0.00...0.50, valence: 0.45...1.00, bpm: 60...112,
            summary: "relaxed and warm: downtempo, ambient, lounge"),
        MoodRegion(
            name: "focus", energy: 0.25...0.55, valence: 0.30...0.70, bpm: 70...125,
            summary: "steady and unobtrusive, for working"),
        MoodRegion(
            name: "happy", energy: 0.50...0.85, valence: 0.60...1.00, bpm: 95...140,
            summary: "bright, major, upbeat"),
        MoodRegion(
            name: "party", energy: 0.60...1.00, valence: 0.50...1.00, bpm: 115...135,
            summary: "loud, danceable, house tempo"),
        MoodRegion(
            name: "workout", energy: 0.70...1.00, valence: 0.30...1.00, bpm: 125...180,
            summary: "driving and fast"),
        MoodRegion(
            name: "sad", energy: 0.00...0.45, valence: 0.00...0.40, bpm: 55...100,
            summary: "quiet, minor, slow"),
        MoodRegion(
            name: "romantic", energy: 0.15...0.55, valence: 0.50...0.85, bpm: 60...105,
            summary: "soft and tender"),
        MoodRegion(
            name: "intense", energy: 0.65...1.00, valence: 0.00...0.45, bpm: 85...180,
            summary: "dark, loud, aggressive"),
    ]

    /// A mood name that is not in the table; its description lists the known ones.
    public struct UnknownMood: Error, CustomStringConvertible {
        public let name: String
        public init(name: String) { self.name = name }
        public var description: String {
            "unknown mood '\(name)' (known: \(MoodSpace.named.map(\.name).joined(separator: ", ")))"
        }
    }

    /// The named mood, ignoring case.
    public static func region(named name: String) throws(UnknownMood) -> MoodRegion {
        guard let region = named.first(where: { $0.name == name.lowercased() }) else {
            throw UnknownMood(name: name)
        }
        return region
    }
}
