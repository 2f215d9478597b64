-- Deadline reminders (issue 7): to staff when a step's time runs short or out, to agency leaders when an apology is
-- needed before the 1-working-day limit (R-G1), to citizens for unanswered supplement requests and uncollected results.

-- Each reminder goes out once per dossier, workflow step and kind: the primary key decides, in the transaction that
-- writes the reminder's outbox messages (INSERT … ON CONFLICT DO NOTHING), so two sweeping nodes never both send it.
-- Citizen kinds use the step the dossier was at (0, reception, before it has one). about_at is the instant the
-- reminder was about (the step's due, the due, the request, the result); recipients the number of messages written
-- (0: nobody with an e-mail address — recorded anyway, so the sweep does not look at it again).
CREATE TABLE portal.reminders_sent (
    dossier_id  uuid NOT NULL REFERENCES portal.dossiers (id),
    step        smallint NOT NULL CHECK (step >= 0),
    kind        text NOT NULL CHECK (kind IN ('reminder-step-due-soon', 'reminder-step-overdue', 'reminder-apology-needed',
                                              'reminder-supplement-unanswered', 'reminder-result-uncollected')),
    sent_at     timestamptz NOT NULL,
    about_at    timestamptz NOT NULL,
    recipients  smallint NOT NULL CHECK (recipients >= 0),
    PRIMARY KEY (dossier_id, step, kind)
);

-- Staff receive reminders by e-mail; an account without one is skipped (the unit's own address stands in when nobody
-- who should be told has one).
ALTER TABLE portal.staff_accounts ADD COLUMN email text CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+$');

-- The sweep reads each kind's candidates as a range of instants, in order, in batches (keyset on the instant and id):
-- the step's due and the due for dossiers being worked on (2, 4), the supplement request still open, the result
-- ready and not yet returned (9). A million open dossiers are never read whole.
CREATE INDEX dossiers_step_due ON portal.dossiers (step_due_at, id) WHERE status IN (2, 4);
CREATE INDEX dossiers_due ON portal.dossiers (due_at, id) WHERE status IN (2, 4);
CREATE INDEX dossiers_result_ready ON portal.dossiers (finished_at, id) WHERE status = 9;
CREATE INDEX supplement_requests_open ON portal.supplement_requests (requested_at, dossier_id) WHERE answered_at IS NULL;
