import Foundation

/// The shape of the energy over a mix: a level in [0, 1] at each moment (0 = the bottom of the mood's energy
/// range, 1 = its top).
public enum EnergyArc: String, CaseIterable, Sendable, Codable {
    case flat
    case rise
    case fall
    case warmupPeakCooldown = "warmup-peak-cooldown"
    case wave

    /// The level at `position` ∈ [0, 1] of the mix.
    public func level(at position: Double) -> Double {
        let x = max(0, min(1, position))
        switch self {
        case .flat: return 0.5
        case .rise: return 0.15 + 0.8 * x
        case .fall: return 0.95 - 0.8 * x
        case .warmupPeakCooldown:
            // Up from 0.25 to the peak at two thirds of the set, then down to 0.4 (the shape of a club night).
            return x < 2.0 / 3 ? 0.25 + 0.75 * (x / (2.0 / 3)) : 1 - 0.6 * ((x - 2.0 / 3) / (1.0 / 3))
        case .wave: return 0.5 + 0.4 * sin(2 * Double.pi * 2 * x - Double.pi / 2)
        }
    }
}
