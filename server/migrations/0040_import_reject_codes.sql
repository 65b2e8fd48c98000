-- A rejected row of a member import keeps its error code and parameters (messages/error-codes.ts
-- in the contract), so the report is written in the reader's language. Older rows keep their
-- English reason; new rows leave it empty and are rendered from the code.
ALTER TABLE import_rejects ADD COLUMN code text, ADD COLUMN params jsonb;
ALTER TABLE import_rejects ALTER COLUMN reason DROP NOT NULL;
ALTER TABLE import_rejects ADD CONSTRAINT import_rejects_reason_or_code CHECK (reason IS NOT NULL OR code IS NOT NULL);
