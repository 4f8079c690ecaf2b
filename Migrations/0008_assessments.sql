-- Assessed takes of a listener (`aidj assess --listener`): the headline figures as columns, so progress on a piece
-- can be listed and compared over time, and the whole report as JSON.

CREATE TABLE assessments (
    id                 INTEGER PRIMARY KEY,
    listener_id        INTEGER NOT NULL REFERENCES listeners(id) ON DELETE CASCADE,
    piece              TEXT NOT NULL,                  -- the name the take is filed under
    reference          TEXT NOT NULL,                  -- the reference file (and line)
    take               TEXT NOT NULL,                  -- the take's audio file
    score              REAL NOT NULL,                  -- 0–100
    note_accuracy      REAL NOT NULL,                  -- 0–1
    timing_median_ms   REAL,
    intonation_cents   REAL,                           -- mean cents deviation of correct notes
    tempo_ratio        REAL NOT NULL,
    report             TEXT NOT NULL,                  -- the JSON `aidj assess --json` prints
    created_at         TEXT NOT NULL
);

CREATE INDEX assessments_listener_piece ON assessments(listener_id, piece COLLATE NOCASE, id);
