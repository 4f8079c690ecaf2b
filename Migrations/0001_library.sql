-- aidj library schema, version 1: tracks, their analysis, beat grids, listeners, ingest runs.
-- Shipped migrations are never edited: add a new NNNN_name.sql instead.

CREATE TABLE tracks (
    id                INTEGER PRIMARY KEY,
    path              TEXT    NOT NULL UNIQUE,          -- absolute, as found by the scan
    size_bytes        INTEGER NOT NULL,
    mtime_ns          INTEGER NOT NULL,                 -- modification time, nanoseconds since 1970
    content_hash      TEXT    NOT NULL,                 -- 64-bit content hash (hex): recognizes moved files
    status            TEXT    NOT NULL CHECK (status IN ('analyzed', 'failed', 'missing')),
    error             TEXT,                             -- one-line reason when status = 'failed'
    duration_s        REAL,
    sample_rate       INTEGER,
    channels          INTEGER,
    format            TEXT,                             -- e.g. 'FLAC 16-bit', 'WAV float'
    title             TEXT,
    artist            TEXT,
    album             TEXT,
    genre             TEXT,
    year              INTEGER,
    track_number      INTEGER,
    analysis_version  INTEGER,
    added_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    analyzed_at       TEXT,
    missing_since     TEXT
);
CREATE INDEX tracks_by_content_hash ON tracks (content_hash);
CREATE INDEX tracks_by_status ON tracks (status);

CREATE TABLE features (
    track_id           INTEGER PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
    bpm                REAL    NOT NULL,
    bpm_confidence     REAL    NOT NULL,
    bpm_alternates     TEXT    NOT NULL,                -- JSON array of {"bpm", "relation", "score"}
    key_tonic          INTEGER NOT NULL CHECK (key_tonic BETWEEN 0 AND 11),
    key_mode           TEXT    NOT NULL CHECK (key_mode IN ('major', 'minor')),
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
    vector             BLOB    NOT NULL                 -- little-endian Float32, layout named by vector_version
);
CREATE INDEX features_by_bpm ON features (bpm);
CREATE INDEX features_by_key ON features (key_tonic, key_mode);

CREATE TABLE beats (
    track_id      INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    beat_index    INTEGER NOT NULL,
    time_s        REAL    NOT NULL,
    bar_position  INTEGER NOT NULL CHECK (bar_position BETWEEN 1 AND 4),   -- 1 = downbeat (4/4)
    phrase_start  INTEGER NOT NULL DEFAULT 0 CHECK (phrase_start IN (0, 1)),
    PRIMARY KEY (track_id, beat_index)
) WITHOUT ROWID;

CREATE TABLE listeners (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE listener_events (
    id           INTEGER PRIMARY KEY,
    listener_id  INTEGER NOT NULL REFERENCES listeners (id) ON DELETE CASCADE,
    track_id     INTEGER REFERENCES tracks (id) ON DELETE SET NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('play', 'skip', 'like', 'dislike', 'rating')),
    rating       INTEGER CHECK (rating BETWEEN 1 AND 5),
    occurred_at  TEXT    NOT NULL,
    source       TEXT    NOT NULL DEFAULT 'cli',        -- 'cli', or the history file it was imported from
    artist       TEXT,                                  -- as given by an imported history, for unmatched plays
    title        TEXT
);
CREATE INDEX listener_events_by_listener ON listener_events (listener_id, occurred_at);

CREATE TABLE ingest_runs (
    id           INTEGER PRIMARY KEY,
    roots        TEXT    NOT NULL,                      -- JSON array of the folders scanned
    started_at   TEXT    NOT NULL,
    finished_at  TEXT,                                  -- NULL while running, or when the run was killed
    scanned      INTEGER NOT NULL DEFAULT 0,
    analyzed     INTEGER NOT NULL DEFAULT 0,
    unchanged    INTEGER NOT NULL DEFAULT 0,
    moved        INTEGER NOT NULL DEFAULT 0,
    missing      INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE ingest_failures (
    run_id     INTEGER NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
    path       TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    failed_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (run_id, path)
);
