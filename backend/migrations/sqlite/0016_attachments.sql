-- Files shared in conversations. The bytes are kept by content (their SHA-256, `blob_key`) in
-- the attachment store (the data directory or a bucket); a row is written in the transaction of
-- the message that carries the file, so a file is readable only once its message is. A blob no
-- row names is removed (see backend::attachments::prune).
CREATE TABLE attachments (
    id               TEXT     PRIMARY KEY,
    conversation_id  TEXT     NOT NULL REFERENCES conversations (id),
    seq              BIGINT   NOT NULL,
    blob_key         TEXT     NOT NULL,
    name             TEXT     NOT NULL,
    content_type     TEXT     NOT NULL,
    size             BIGINT   NOT NULL,
    created_at       BIGINT   NOT NULL
);
CREATE INDEX attachments_by_blob ON attachments (blob_key);
CREATE INDEX attachments_by_conversation ON attachments (conversation_id);

-- The site's Attachments setting: the largest file and the allowed extensions.
ALTER TABLE site_settings ADD COLUMN attachment_max_bytes BIGINT NOT NULL DEFAULT 10485760;
ALTER TABLE site_settings ADD COLUMN attachment_types TEXT NOT NULL DEFAULT 'png jpg jpeg gif webp pdf txt csv docx xlsx pptx odt zip';
