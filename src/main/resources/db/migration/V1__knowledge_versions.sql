-- Knowledge base: every successful change creates a new immutable version; one is active.
-- Portable SQL: runs unchanged on H2 and MySQL/MariaDB.
CREATE TABLE kb_version (
  version INT NOT NULL PRIMARY KEY,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  source VARCHAR(32) NOT NULL,
  entry_count INT NOT NULL,
  active BOOLEAN NOT NULL DEFAULT FALSE,
  note VARCHAR(500)
);

CREATE TABLE kb_entry (
  version INT NOT NULL,
  entry_id VARCHAR(128) NOT NULL,
  lang CHAR(2) NOT NULL,
  questions TEXT NOT NULL,
  answer TEXT NOT NULL,
  tags VARCHAR(1000) NOT NULL DEFAULT '',
  PRIMARY KEY (version, entry_id),
  CONSTRAINT fk_kb_entry_version FOREIGN KEY (version) REFERENCES kb_version (version)
);

CREATE INDEX ix_kb_version_active ON kb_version (active);
