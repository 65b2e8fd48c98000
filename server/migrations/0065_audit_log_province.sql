-- Each audit entry carries the province of its organization: the key Citus distributes the log
-- by (server/src/db/distribution.ts), so a province's entries live with its other rows. An entry
-- about no organization (an account's own events) is kept under province 0.
ALTER TABLE audit_log ADD COLUMN province_id bigint;
-- The log is append-only; filling the new column of its past entries is the one exception.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
UPDATE audit_log SET province_id = coalesce(province_of(org_path), 0);
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
ALTER TABLE audit_log ALTER COLUMN province_id SET NOT NULL;
