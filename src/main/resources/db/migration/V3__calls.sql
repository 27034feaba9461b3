-- Call records and their turns, written after each call ends. Times are epoch milliseconds (UTC):
-- exact, zone-free and the same on H2 and MySQL/MariaDB.
CREATE TABLE call_record (
  call_id VARCHAR(64) NOT NULL PRIMARY KEY,
  channel VARCHAR(200) NOT NULL DEFAULT '',
  unique_id VARCHAR(64) NOT NULL DEFAULT '',
  adapter VARCHAR(16) NOT NULL,
  lang VARCHAR(16) NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT NOT NULL,
  hangup_cause VARCHAR(16) NOT NULL,
  outcome VARCHAR(16) NOT NULL,
  turn_count INT NOT NULL
);

CREATE TABLE call_turn (
  call_id VARCHAR(64) NOT NULL,
  turn_index INT NOT NULL,
  heard VARCHAR(1000) NOT NULL,
  decision VARCHAR(16) NOT NULL,
  entry_id VARCHAR(128),
  score DOUBLE,
  speech_ended_at BIGINT NOT NULL,
  recognised_at BIGINT NOT NULL,
  decided_at BIGINT NOT NULL,
  first_audio_at BIGINT,
  voice_to_voice_ms BIGINT,
  PRIMARY KEY (call_id, turn_index),
  CONSTRAINT fk_call_turn_call FOREIGN KEY (call_id) REFERENCES call_record (call_id)
);

CREATE INDEX ix_call_record_started ON call_record (started_at);

CREATE INDEX ix_call_record_channel ON call_record (channel);

CREATE INDEX ix_call_record_unique ON call_record (unique_id);

CREATE INDEX ix_call_turn_decision ON call_turn (decision);
