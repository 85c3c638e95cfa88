-- A token is created either by a person in the console (created_by) or by an operator on the
-- server's command line (created_by_operator, as the audit log names them), never both.
ALTER TABLE api_tokens ALTER COLUMN created_by DROP NOT NULL;
ALTER TABLE api_tokens ADD COLUMN created_by_operator TEXT;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_one_creator
    CHECK ((created_by IS NULL) <> (created_by_operator IS NULL));
