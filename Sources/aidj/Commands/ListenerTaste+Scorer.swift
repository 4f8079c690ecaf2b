import AIDJMixer
import AIDJStore
import AIDJTaste
import Foundation

extension ListenerTaste {
    /// The listener's taste scores for the tracks of `snapshot`: P(liked) from their taste model when they have
    /// one, else similarity to their likes. The CLI joins the taste and mixer modules here, so neither imports
    /// the other.
    init(listener name: String, id: Int64, snapshot: LibrarySnapshot, store: LibraryStore, at date: Date = Date())
        throws
    {
        let scorer = try TasteScorer(
            listener: name, listenerID: id, store: store, space: FeatureSpace(snapshot), at: date)
        self.init(
            name: name, id: id,
            scores: Dictionary(uniqueKeysWithValues: zip(snapshot.tracks.map(\.id), scorer.scores)),
            explanation: scorer.explanation)
    }
}
