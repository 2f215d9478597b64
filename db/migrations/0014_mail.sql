-- Mail delivery (issue 7; docs/MAIL.md): what the dispatcher needs on the outbox written since 0010.

-- message_id: the Message-ID header, fixed at the first claim and sent unchanged on every attempt, so a receiver can
--   drop the copy that a crashed worker may have delivered already (the only re-send window).
-- claimed_until: the lease of a 'sending' row. A worker that dies leaves the row 'sending'; once the lease has passed,
--   another worker claims it again.
-- requeued_at/by: an administrator's "Gửi lại" on a message that was given up (/quan-tri/thu-dien-tu).
UPDATE portal.outbox_messages SET status = 'queued' WHERE status = 'sending';   -- none expected: nothing sent before
ALTER TABLE portal.outbox_messages
    ADD COLUMN message_id     text,
    ADD COLUMN claimed_until  timestamptz,
    ADD COLUMN requeued_at    timestamptz,
    ADD COLUMN requeued_by    text,
    ADD CONSTRAINT outbox_messages_sending_leased CHECK (status <> 'sending' OR claimed_until IS NOT NULL);

-- The claim: queued rows that are due (next_attempt_at NULL = at once) and sending rows whose lease has passed. Sent
-- rows, the great majority after a while, are outside the index.
DROP INDEX portal.outbox_messages_queued;
CREATE INDEX outbox_messages_due ON portal.outbox_messages (status, next_attempt_at) WHERE status IN ('queued', 'sending');

-- The administrators' page lists the messages given up, newest first.
CREATE INDEX outbox_messages_failed ON portal.outbox_messages (created_at DESC) WHERE status = 'failed';

-- ... and how many were sent in the last day.
CREATE INDEX outbox_messages_sent ON portal.outbox_messages (sent_at) WHERE status = 'sent';
