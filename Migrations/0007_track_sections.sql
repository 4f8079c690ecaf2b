-- Track sections: the parts of a track's arrangement (intro, build, main, breakdown, outro) that the mixer leaves
-- and enters by, and whether a beat is heard through each. The sections tile the track in order.
-- Tracks analysed before this migration have none until the next ingest re-analyses them (analysis version 4);
-- the mixer then falls back to their intro and outro cues. Shipped migrations are never edited: add a new file.

CREATE TABLE track_sections (
    track_id       INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    section_index  INTEGER NOT NULL CHECK (section_index >= 0),
    start_s        REAL    NOT NULL CHECK (start_s >= 0),
    end_s          REAL    NOT NULL,
    label          TEXT    NOT NULL CHECK (label IN ('intro', 'build', 'main', 'breakdown', 'outro')),
    level_db       REAL    NOT NULL,                             -- mean level against the track's main level
    has_beat       INTEGER NOT NULL CHECK (has_beat IN (0, 1)),  -- a clear pulse through most of it
    PRIMARY KEY (track_id, section_index),
    CHECK (end_s > start_s)
) WITHOUT ROWID;
