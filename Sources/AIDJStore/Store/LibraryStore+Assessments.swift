import AIDJCore
import GRDB

/// A stored assessment of a take, as `aidj assess history` lists it.
public struct AssessmentSummary: Sendable, Codable, Equatable {
    public var id: Int64
    public var listener: String
    public var piece: String
    public var reference: String
    public var take: String
    public var score: Double
    public var noteAccuracy: Double
    public var timingMedianMilliseconds: Double?
    public var intonationCents: Double?
    public var tempoRatio: Double
    public var createdAt: String

    public init(
        id: Int64, listener: String, piece: String, reference: String, take: String, score: Double,
        noteAccuracy: Double, timingMedianMilliseconds: Double?, intonationCents: Double?, tempoRatio: Double,
        createdAt: String
    ) {
        self.id = id
        self.listener = listener
        self.piece = piece
        self.reference = reference
        self.take = take
        self.score = score
        self.noteAccuracy = noteAccuracy
        self.timingMedianMilliseconds = timingMedianMilliseconds
        self.intonationCents = intonationCents
        self.tempoRatio = tempoRatio
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, listener, piece, reference, take, score
        case noteAccuracy = "note_accuracy"
        case timingMedianMilliseconds = "timing_median_ms"
        case intonationCents = "intonation_cents"
        case tempoRatio = "tempo_ratio"
        case createdAt = "created_at"
    }
}

extension LibraryStore {
    /// Records an assessment of a listener's take (one row, one transaction).
    @discardableResult
    public func saveAssessment(
        listenerID: Int64, piece: String, reference: String, take: String, score: Double, noteAccuracy: Double,
        timingMedianMilliseconds: Double?, intonationCents: Double?, tempoRatio: Double, reportJSON: String
    ) throws(StoreError) -> Int64 {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO assessments (listener_id, piece, reference, take, score, note_accuracy,
                        timing_median_ms, intonation_cents, tempo_ratio, report, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    listenerID, piece, reference, take, score, noteAccuracy, timingMedianMilliseconds,
                    intonationCents, tempoRatio, reportJSON, Timestamp.now(),
                ])
            return db.lastInsertedRowID
        }
    }

    /// A listener's assessments, oldest first; only those of `piece` (ignoring case) when given.
    public func assessments(listenerID: Int64, piece: String? = nil) throws(StoreError) -> [AssessmentSummary] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.*, l.name AS listener FROM assessments a JOIN listeners l ON l.id = a.listener_id
                    WHERE a.listener_id = ? AND (? IS NULL OR a.piece = ? COLLATE NOCASE) ORDER BY a.id
                    """,
                arguments: [listenerID, piece, piece]
            ).map { row in
                AssessmentSummary(
                    id: row["id"], listener: row["listener"], piece: row["piece"], reference: row["reference"],
                    take: row["take"], score: row["score"], noteAccuracy: row["note_accuracy"],
                    timingMedianMilliseconds: row["timing_median_ms"], intonationCents: row["intonation_cents"],
                    tempoRatio: row["tempo_ratio"], createdAt: row["created_at"])
            }
        }
    }

    /// The JSON report stored with assessment `id`, nil when there is none.
    public func assessmentReport(id: Int64) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT report FROM assessments WHERE id = ?", arguments: [id]) }
    }
}
