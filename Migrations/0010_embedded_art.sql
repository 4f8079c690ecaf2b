-- Whether a track's file embeds a cover picture, noted by the ingest so that the server offers `coverArt` only
-- for songs and albums that have one. NULL: ingested before this was looked at (the server then offers it and
-- answers 404 when the file has none).

ALTER TABLE tracks ADD COLUMN has_embedded_art INTEGER CHECK (has_embedded_art IN (0, 1));
