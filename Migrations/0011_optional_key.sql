-- A track whose sound has too little pitch content for a key (drums, noise, speech) has none: key_tonic and
-- key_mode are NULL together, and key_confidence is 0. The analysis used to store C major with confidence 0 there,
-- which reports and the mixer's harmonic ordering read as a real key. SQLite cannot relax NOT NULL in place, so
-- the table is rebuilt with the same columns. Rows with confidence 0 are exactly those placeholders (a found key's
-- confidence is a probability, above 1/24). Their stored feature vectors (layout 1) get the new key_major value
-- for no key, 0.5, in place of the placeholder's 1: component 70, bytes 281–284, 0.5 as little-endian Float32
-- (`||` makes text of its blobs byte for byte; the CAST makes the result a blob again).

CREATE TABLE features_new (
    track_id           INTEGER PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
    bpm                REAL    NOT NULL,
    bpm_confidence     REAL    NOT NULL,
    key_tonic          INTEGER CHECK (key_tonic BETWEEN 0 AND 11),
    key_mode           TEXT    CHECK (key_mode IN ('major', 'minor')),
    key_confidence     REAL    NOT NULL,
    loudness_lufs      REAL,                            -- NULL for digital silence (below the −70 LUFS gate)
    loudness_range_lu  REAL    NOT NULL,
    true_peak_dbtp     REAL,
    replay_gain_db     REAL,
    energy             REAL    NOT NULL,
    valence            REAL    NOT NULL,
    danceability       REAL    NOT NULL,
    first_sound_s      REAL    NOT NULL,
    intro_end_s        REAL    NOT NULL,
    outro_start_s      REAL    NOT NULL,
    last_sound_s       REAL    NOT NULL,
    vector_version     INTEGER NOT NULL,
    vector             BLOB    NOT NULL,                -- little-endian Float32, layout named by vector_version
    CHECK ((key_tonic IS NULL) = (key_mode IS NULL)),
    CHECK (key_tonic IS NOT NULL OR key_confidence = 0)
);

INSERT INTO features_new
SELECT track_id, bpm, bpm_confidence,
       CASE WHEN key_confidence > 0 THEN key_tonic END,
       CASE WHEN key_confidence > 0 THEN key_mode END,
       key_confidence, loudness_lufs, loudness_range_lu, true_peak_dbtp, replay_gain_db, energy, valence,
       danceability, first_sound_s, intro_end_s, outro_start_s, last_sound_s, vector_version,
       CASE WHEN key_confidence > 0 OR vector_version != 1 OR length(vector) != 328 THEN vector
            ELSE CAST(substr(vector, 1, 280) || X'0000003F' || substr(vector, 285) AS BLOB) END
FROM features;

DROP TABLE features;
ALTER TABLE features_new RENAME TO features;
CREATE INDEX features_by_bpm ON features (bpm);
CREATE INDEX features_by_key ON features (key_tonic, key_mode);
