-- Tempo sections: the stretches of a track at one tempo, so that a track which changes tempo (a DJ edit, a live
-- band, a new movement) reports each tempo instead of their average. A track that keeps its tempo has one.
-- Tracks analysed before this migration get one section from their stored tempo and first beat; analysis
-- version 3 re-analyses them on the next ingest. Shipped migrations are never edited: add a new file instead.

CREATE TABLE tempo_sections (
    track_id       INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    section_index  INTEGER NOT NULL CHECK (section_index >= 0),
    start_s        REAL    NOT NULL CHECK (start_s >= 0),        -- the section's first beat
    bpm            REAL    NOT NULL CHECK (bpm > 0),
    steady         INTEGER NOT NULL CHECK (steady IN (0, 1)),    -- beats snapped to a constant-tempo grid
    PRIMARY KEY (track_id, section_index)
) WITHOUT ROWID;

INSERT INTO tempo_sections (track_id, section_index, start_s, bpm, steady)
SELECT f.track_id, 0, MAX(0, b.time_s), f.bpm, 0
FROM features f JOIN beats b ON b.track_id = f.track_id AND b.beat_index = 0
WHERE f.bpm > 0;
