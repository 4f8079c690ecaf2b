/// How an alternative tempo reading relates to the chosen one: the metrical levels a tempo is most often
/// confused with (Gouyon et al. 2006 count the first two as "Acc2" errors).
public enum TempoRelation: String, Codable, CaseIterable, Sendable {
    case half
    case double
    case twoThirds = "two-thirds"
    case threeHalves = "three-halves"

    /// The alternate tempo over the chosen one.
    public var factor: Double {
        switch self {
        case .half: 0.5
        case .double: 2
        case .twoThirds: 2.0 / 3
        case .threeHalves: 1.5
        }
    }
}
