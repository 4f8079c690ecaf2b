-- What `aidj serve` keeps: a listener is also a server user (a password sealed with the server's key file, API
-- keys stored as hashes), starred albums and artists, and playlists. A starred *song* is a 'like' event and a
-- song's rating is its latest 'rating' event, so the taste model and the players read one source.

CREATE TABLE listener_credentials (
    listener_id      INTEGER PRIMARY KEY REFERENCES listeners(id) ON DELETE CASCADE,
    password_sealed  BLOB NOT NULL,                    -- AES-GCM (nonce ‖ ciphertext ‖ tag) under the key file
    updated_at       TEXT NOT NULL
);

CREATE TABLE api_keys (
    id            INTEGER PRIMARY KEY,
    listener_id   INTEGER NOT NULL REFERENCES listeners(id) ON DELETE CASCADE,
    key_hash      TEXT NOT NULL UNIQUE,                -- SHA-256 of the key (hex); the key itself is never stored
    key_prefix    TEXT NOT NULL,                       -- its first characters, to tell keys apart when listing
    created_at    TEXT NOT NULL,
    last_used_at  TEXT
);
CREATE INDEX api_keys_by_listener ON api_keys(listener_id);

CREATE TABLE collection_stars (
    listener_id  INTEGER NOT NULL REFERENCES listeners(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('album', 'artist')),
    item_id      TEXT NOT NULL,                        -- the server's album or artist id
    starred_at   TEXT NOT NULL,
    PRIMARY KEY (listener_id, kind, item_id)
) WITHOUT ROWID;

CREATE TABLE playlists (
    id           INTEGER PRIMARY KEY,
    listener_id  INTEGER NOT NULL REFERENCES listeners(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    comment      TEXT,
    public       INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    created_at   TEXT NOT NULL,
    changed_at   TEXT NOT NULL
);
CREATE INDEX playlists_by_listener ON playlists(listener_id);

CREATE TABLE playlist_entries (
    playlist_id  INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    track_id     INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
    PRIMARY KEY (playlist_id, position)
) WITHOUT ROWID;

-- Per-listener marks on songs are read for every song a response lists.
CREATE INDEX listener_events_by_track ON listener_events(listener_id, track_id, kind);
