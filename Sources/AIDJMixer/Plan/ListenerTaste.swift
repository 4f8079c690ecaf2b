/// A listener's taste as the mixer uses it: a score in [0, 1] per track, made by the caller (AIDJTaste's
/// `TasteScorer`: P(liked) from the listener's model, or similarity to their likes). The mixer only weighs
/// candidates by it, so it does not depend on how taste is learned.
public struct ListenerTaste: Sendable {
    public var name: String
    public var id: Int64
    /// Track id → taste score in [0, 1]; tracks without a score count as 0.5 (no opinion).
    public var scores: [Int64: Double]
    /// How the scores were made, for the plan's notes ("taste model, AUC 0.78", "similarity to 12 liked tracks").
    public var explanation: String

    public init(name: String, id: Int64, scores: [Int64: Double], explanation: String) {
        self.name = name
        self.id = id
        self.scores = scores
        self.explanation = explanation
    }
}
