-- Genre probabilities predicted by a stored genre model for every analysed track (`aidj classify --all`).
-- One row per (track, model, label); reclassifying with a model replaces all of its rows in one transaction.

CREATE TABLE genre_predictions (
    track_id     INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    model_id     INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    probability  REAL NOT NULL,
    PRIMARY KEY (track_id, model_id, label)
) WITHOUT ROWID;

CREATE INDEX genre_predictions_model ON genre_predictions(model_id, label, probability);
