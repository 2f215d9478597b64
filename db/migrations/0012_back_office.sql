-- One-stop back office (DOMAIN.md R-C*, R-D*, R-E*, R-G*, R-H1; ARCHITECTURE.md "dossier life").

-- The 2025 "regardless of boundary" rule: dossiers addressed to this (virtual) unit may be received by any commune
-- centre. The demo's "Ủy ban nhân dân cấp xã" is one; a catalogue package marks it with "anyCommune": true.
ALTER TABLE portal.agency ADD COLUMN any_commune boolean NOT NULL DEFAULT false;

-- Staff API tokens for specialised systems (land registry, tax, civil status): same scoping as the account.
CREATE TABLE portal.staff_api_tokens (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    staff_id      uuid NOT NULL REFERENCES portal.staff_accounts (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (btrim(name) <> ''),
    token_sha256  text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    prefix        text NOT NULL,
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX staff_api_tokens_staff ON portal.staff_api_tokens (staff_id);

-- Internal workflow (quy trình nội bộ) of a procedure version (R-D3, §6.7): ordered steps from 0 (reception at the
-- receiving unit), each with its unit (NULL: the receiving unit), the role that acts, and its share of the legal time.
-- A version without rows uses the default workflow computed from its processing time (Workflow.Default).
CREATE TABLE portal.workflow_steps (
    version_id  uuid NOT NULL REFERENCES portal.procedure_version (id),
    step        smallint NOT NULL CHECK (step BETWEEN 0 AND 50),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    agency_id   uuid REFERENCES portal.agency (id),
    role        text NOT NULL CHECK (role IN ('receiving-officer', 'specialist', 'head-of-division', 'agency-leader', 'result-officer')),
    amount      numeric(6, 2) NOT NULL CHECK (amount > 0),
    unit        text NOT NULL CHECK (unit IN ('working-days', 'working-hours')),
    actions     text[] NOT NULL DEFAULT '{}',
    updated_at  timestamptz NOT NULL,
    updated_by  text NOT NULL,
    PRIMARY KEY (version_id, step)
);

-- Walk-in dossiers (counter intake) have no applicant account.
ALTER TABLE portal.dossiers ALTER COLUMN applicant_id DROP NOT NULL;
ALTER TABLE portal.dossiers
    ADD CONSTRAINT dossiers_draft_has_applicant CHECK (status <> 0 OR applicant_id IS NOT NULL),
    ADD COLUMN step              smallint,                                    -- current workflow step
    ADD COLUMN holder_agency_id  uuid REFERENCES portal.agency (id),         -- the unit that holds it now
    ADD COLUMN assignee_id       uuid REFERENCES portal.staff_accounts (id), -- the specialist it is assigned to
    ADD COLUMN received_at       timestamptz,                                 -- accepted at reception (status 2)
    ADD COLUMN original_due_at   timestamptz,                                 -- the appointment at reception; statistics keep it
    ADD COLUMN step_due_at       timestamptz,                                 -- when the current step's budget runs out
    ADD COLUMN risk_at           timestamptz,                                 -- from then on, the time left is less than the steps left need
    ADD COLUMN approved_at       timestamptz,
    ADD COLUMN approved_by       text,
    ADD COLUMN finished_at       timestamptz,                                 -- status 9: end of processing (R-F9)
    ADD COLUMN returned_at       timestamptz,
    ADD COLUMN return_method     text CHECK (return_method IN ('counter', 'post', 'online')),
    ADD COLUMN returned_to       text,                                        -- who collected it, or the waybill
    ADD COLUMN postal_waybill    text;                                        -- postal intake (channel postal)

CREATE INDEX dossiers_inbox ON portal.dossiers (receiving_agency_id, submitted_at) WHERE status = 1;
CREATE INDEX dossiers_holder ON portal.dossiers (holder_agency_id, status, due_at) WHERE status BETWEEN 2 AND 9;
CREATE INDEX dossiers_risk ON portal.dossiers (holder_agency_id, risk_at) WHERE status IN (2, 4);
CREATE INDEX dossiers_assignee ON portal.dossiers (assignee_id) WHERE status IN (2, 4);

-- The control slip (§4.7) is a view over the history: a hand-over row names the step it closed, where the dossier
-- went, and how that step finished against its budget.
ALTER TABLE portal.dossier_history
    ADD COLUMN step            smallint,
    ADD COLUMN to_step         smallint,
    ADD COLUMN to_agency_code  text,
    ADD COLUMN receiver        text,
    ADD COLUMN outcome         text CHECK (outcome IN ('early', 'on-time', 'late'));

-- Result documents (R-H1, R-C4): code <dossier code>-KQ<n>.
CREATE TABLE portal.dossier_results (
    dossier_id        uuid NOT NULL REFERENCES portal.dossiers (id),
    n                 smallint NOT NULL CHECK (n >= 1),
    code              text NOT NULL UNIQUE,
    title             text NOT NULL CHECK (btrim(title) <> ''),
    file_name         text NOT NULL,
    sha256            text NOT NULL REFERENCES portal.stored_files (sha256),
    size              bigint NOT NULL,
    media_type        text NOT NULL,
    signed_by_portal  boolean NOT NULL,          -- signed on upload with the agency's key
    added_at          timestamptz NOT NULL,
    added_by          text NOT NULL,
    PRIMARY KEY (dossier_id, n)
);

-- Forms issued for a dossier (Mẫu 01–05). The transition stores what the form says (data, fixed at issue); the signed
-- PDF is drawn from it on first use (download, e-mail attachment) and stored content-addressed, so a transition does
-- not pay for PDF layout and signing (about 10 ms of CPU) while it holds the dossier's lock.
CREATE TABLE portal.dossier_forms (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    dossier_id   uuid NOT NULL REFERENCES portal.dossiers (id),
    kind         text NOT NULL CHECK (kind IN ('receipt', 'supplement', 'refusal', 'apology', 'stop')),
    data         jsonb NOT NULL,
    agency_code  text NOT NULL,                  -- whose key signs it
    sha256       text REFERENCES portal.stored_files (sha256),
    rendered_at  timestamptz,
    issued_at    timestamptz NOT NULL,
    issued_by    text NOT NULL,
    CHECK ((sha256 IS NULL) = (rendered_at IS NULL))
);
CREATE INDEX dossier_forms_dossier ON portal.dossier_forms (dossier_id);

-- The apology and new appointment (R-G1, R-G2, R-G4): drafted by the agency that caused the delay, approved by its
-- leader. One per dossier (the primary key); the issued appointment also lives in dossier_deadline_extensions.
CREATE TABLE portal.dossier_apologies (
    dossier_id     uuid PRIMARY KEY REFERENCES portal.dossiers (id),
    agency_code    text NOT NULL,
    reason         text NOT NULL CHECK (btrim(reason) <> ''),
    current_due    timestamptz NOT NULL,
    new_due        timestamptz NOT NULL CHECK (new_due > current_due),
    rules_version  text NOT NULL,
    drafted_at     timestamptz NOT NULL,
    drafted_by     text NOT NULL,
    approved_at    timestamptz,
    approved_by    text
);

-- Staff reads of a dossier (the citizen will later see who looked).
CREATE TABLE portal.dossier_reads (
    dossier_id  uuid NOT NULL REFERENCES portal.dossiers (id),
    at          timestamptz NOT NULL,
    staff_id    uuid NOT NULL REFERENCES portal.staff_accounts (id),
    via         text NOT NULL CHECK (via IN ('page', 'api'))
);
CREATE INDEX dossier_reads_dossier ON portal.dossier_reads (dossier_id, at);
