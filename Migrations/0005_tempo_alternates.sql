-- Tempo alternates move out of a JSON string in features.bpm_alternates into rows of their own, typed and
-- checked like every other stored value. Shipped migrations are never edited: add a new NNNN_name.sql instead.

CREATE TABLE tempo_alternates (
    track_id  INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    rank      INTEGER NOT NULL CHECK (rank >= 0),             -- order the analysis gave them in
    bpm       REAL    NOT NULL CHECK (bpm > 0),
    relation  TEXT    NOT NULL CHECK (relation IN ('half', 'double', 'two-thirds', 'three-halves')),
    score     REAL    NOT NULL,                               -- salience relative to the chosen tempo (1 = as strong)
    PRIMARY KEY (track_id, rank)
) WITHOUT ROWID;

INSERT INTO tempo_alternates (track_id, rank, bpm, relation, score)
SELECT f.track_id, CAST(j.key AS INTEGER), json_extract(j.value, '$.bpm'), json_extract(j.value, '$.relation'),
       json_extract(j.value, '$.score')
FROM features f, json_each(f.bpm_alternates) j
WHERE json_valid(f.bpm_alternates)
  AND json_extract(j.value, '$.bpm') > 0
  AND json_extract(j.value, '$.relation') IN ('half', 'double', 'two-thirds', 'three-halves')
  AND json_extract(j.value, '$.score') IS NOT NULL;

ALTER TABLE features DROP COLUMN bpm_alternates;
