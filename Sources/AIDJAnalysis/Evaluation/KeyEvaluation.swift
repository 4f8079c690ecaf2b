public import AIDJCore

/// Scores an estimated key against a reference key, as the MIREX audio key detection task does.
///
/// The weighted score (MIREX 2005 "Audio Key Finding"; the definition `mir_eval.key.weighted_score` follows,
/// Raffel et al. 2014): 1 for the same key, 0.5 for the key a perfect fifth above in the same mode (the dominant),
/// 0.3 for the relative major/minor, 0.2 for the parallel key, 0 otherwise. The fifth below (subdominant) scores 0
/// by that definition but is counted apart, so an estimator's bias shows.
public enum KeyEvaluation {
    /// How an estimate relates to the reference.
    public enum Relation: String, CaseIterable, Sendable, Codable {
        case exact
        /// A fifth above, same mode (the reference's dominant).
        case fifthUp = "fifth_up"
        /// A fifth below, same mode (the subdominant).
        case fifthDown = "fifth_down"
        case relative
        case parallel
        case other

        /// MIREX weight of the relation, in [0, 1].
        public var weight: Double {
            switch self {
            case .exact: 1
            case .fifthUp: 0.5
            case .relative: 0.3
            case .parallel: 0.2
            case .fifthDown, .other: 0
            }
        }
    }

    /// How an estimated key relates to the reference key (MIREX key-detection categories).
    public static func relation(of estimate: MusicalKey, to reference: MusicalKey) -> Relation {
        let interval = (estimate.tonic - reference.tonic + 12) % 12
        if estimate.mode == reference.mode {
            switch interval {
            case 0: return .exact
            case 7: return .fifthUp
            case 5: return .fifthDown
            default: return .other
            }
        }
        if interval == 0 { return .parallel }
        // The relative minor lies a minor third below its major: A minor for C major, C major for A minor.
        let relativeInterval = reference.mode == .major ? 9 : 3
        return interval == relativeInterval ? .relative : .other
    }

    /// The MIREX weighted score of one estimate: 1 exact, 0.5 fifth up, 0.3 relative, 0.2 parallel, else 0.
    public static func weightedScore(_ estimate: MusicalKey, reference: MusicalKey) -> Double {
        relation(of: estimate, to: reference).weight
    }
}
