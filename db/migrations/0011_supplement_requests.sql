-- Requests addressed to the applicant (DOMAIN.md R-C1, R-E4, §4.3): every missing or incorrect item at once, each with
-- its reason. Staff write them (back-office issue); the applicant answers with replacement files and resubmits.
CREATE TABLE portal.supplement_requests (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    dossier_id    uuid NOT NULL REFERENCES portal.dossiers (id),
    requested_at  timestamptz NOT NULL,
    requested_by  text NOT NULL,
    at_reception  boolean NOT NULL,            -- at reception the clock has not started; in processing it stops
    items         jsonb NOT NULL CHECK (jsonb_typeof(items) = 'array' AND jsonb_array_length(items) > 0),
    note          text,
    answered_at   timestamptz,
    answer_note   text
);
-- One open request per dossier: a new one is issued only after the previous is answered.
CREATE UNIQUE INDEX supplement_requests_one_open ON portal.supplement_requests (dossier_id) WHERE answered_at IS NULL;
