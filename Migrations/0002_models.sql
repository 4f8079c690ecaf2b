-- Trained models (melody LSTMs now; taste and genre classifiers later), stored in the database so they work from
-- any directory. One row per (kind, name); retraining replaces the weights and keeps created_at.

CREATE TABLE models (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,                 -- 'melody-lstm', …
    name             TEXT NOT NULL,
    hyperparameters  TEXT NOT NULL,                 -- JSON
    metrics          TEXT NOT NULL,                 -- JSON
    weights          BLOB NOT NULL,                 -- little-endian Float32
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (kind, name)
);
