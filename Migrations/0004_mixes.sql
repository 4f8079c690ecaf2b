-- Rendered mixes: what was asked, what came out, and the tracklist, so a set can be listed, compared and its
-- tracks traced back. The plan column holds the JSON tracklist written beside the audio.

CREATE TABLE mixes (
    id              INTEGER PRIMARY KEY,
    path            TEXT NOT NULL,                  -- the rendered audio file
    mood            TEXT NOT NULL,
    arc             TEXT NOT NULL,
    listener_id     INTEGER REFERENCES listeners(id) ON DELETE SET NULL,
    duration_s      REAL NOT NULL,
    loudness_lufs   REAL,
    true_peak_dbtp  REAL,
    plan            TEXT NOT NULL,                  -- JSON
    created_at      TEXT NOT NULL
);

CREATE TABLE mix_tracks (
    mix_id       INTEGER NOT NULL REFERENCES mixes(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    track_id     INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
    mix_start_s  REAL NOT NULL,
    PRIMARY KEY (mix_id, position)
) WITHOUT ROWID;

CREATE INDEX mix_tracks_track ON mix_tracks(track_id);
