/// A note heard in a take: when it starts and ends, its pitch and how loud it is.
public struct PerformedNote: Sendable, Equatable, Codable {
    /// Onset in seconds from the start of the take.
    public var onset: Double
    /// End in seconds (the last voiced frame).
    public var offset: Double
    /// Fractional MIDI pitch against A4 = 440 Hz: the median over the note's steady middle, before any tuning.
    public var pitch: Double
    /// K-weighted loudness of the note (LUFS); nil when too quiet to meter.
    public var loudness: Double?
    /// Times (s) inside the note where the level dipped and swelled again: where the same pitch may have been
    /// played again without a sharp attack (a new bow stroke, a new breath).
    public var repeatCandidates: [Double] = []
    /// The note was cut from the one before it at a re-attack of the level (same pitch, no silence between): a
    /// repeat, or an instrument whose attack swells twice.
    public var reattacked = false

    public init(onset: Double, offset: Double, pitch: Double, loudness: Double? = nil) {
        self.onset = onset
        self.offset = offset
        self.pitch = pitch
        self.loudness = loudness
    }

    public var duration: Double { offset - onset }
}
