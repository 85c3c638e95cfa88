-- Why a token was removed, when not by an administrator from the console: 'holder' (its
-- holder revoked it through POST /api/v1/revoke) or 'rotated' (replaced by a new token).
ALTER TABLE api_tokens ADD COLUMN removal_reason TEXT CHECK (removal_reason IN ('holder', 'rotated'));
