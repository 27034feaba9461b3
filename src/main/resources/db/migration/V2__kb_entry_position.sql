-- Keeps entries in the order they were uploaded, so listings and a reloaded index match the upload.
ALTER TABLE kb_entry ADD COLUMN position INT NOT NULL DEFAULT 0;
