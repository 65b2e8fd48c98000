-- One clock per trainee. Study heartbeats (any material) and live-presence heartbeats (any
-- session) are all credited against it: a beat credits at most the time since the trainee's
-- previous beat anywhere, so three tabs open at once earn the wall-clock time once, not three
-- times. The row is locked by every beat (see modules/training/clock.ts).
CREATE TABLE training_clock (
  person_id bigint PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
  last_beat_at timestamptz NOT NULL
);
