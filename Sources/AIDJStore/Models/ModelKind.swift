/// What a stored model is. The raw value is the `models.kind` column.
public enum ModelKind: String, Codable, CaseIterable, Sendable {
    /// A genre classifier over feature vectors (`aidj train genre`).
    case genre = "genre-softmax"
    /// A listener's taste model (`aidj train taste`).
    case taste = "taste-softmax"
    /// A melody LSTM (`aidj compose train`).
    case melody = "melody-lstm"

    /// How messages name a model of this kind: "genre model".
    public var title: String {
        switch self {
        case .genre: "genre model"
        case .taste: "taste model"
        case .melody: "melody model"
        }
    }
}
