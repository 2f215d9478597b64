-- Applicants (citizens and organisations), their sign-in identities and API tokens; the outbox; the content-addressed
-- file store; dossiers from draft to submission with their documents, history and codes (DOMAIN.md R-B*, R-C3, R-E*).

-- An applicant is a person or an organisation that files dossiers. How they sign in is kept apart (applicant_logins):
-- an e-mail or phone number with the local password today, a VNeID subject (OpenID Connect) later — linking VNeID is
-- one more row, no change to this table.
CREATE TABLE portal.applicants (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind             text NOT NULL CHECK (kind IN ('individual', 'organisation')),
    full_name        text NOT NULL CHECK (btrim(full_name) <> ''),     -- a person's name or the organisation's name
    birth_date       date,                                             -- individual
    id_number        text CHECK (id_number ~ '^[0-9]{12}$'),           -- CCCD (citizen identity card), individual
    tax_code         text CHECK (tax_code ~ '^[0-9]{10}([0-9]{3})?$'), -- organisation (10 digits, or 13 for a branch)
    representative   text,                                             -- organisation's legal representative
    address          text NOT NULL DEFAULT '',
    email            text,                                             -- contact; also a login when verified as one
    phone            text,
    password_hash    text,                                             -- NULL when the account only signs in through an external identity
    failed_sign_ins  integer NOT NULL DEFAULT 0,
    locked_until     timestamptz,
    security_stamp   uuid NOT NULL DEFAULT gen_random_uuid(),          -- changes on password change / "sign out everywhere"
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'individual' OR (id_number IS NOT NULL AND birth_date IS NOT NULL)),
    CHECK (kind <> 'organisation' OR (tax_code IS NOT NULL AND representative IS NOT NULL))
);

-- provider: 'email' (key = lower-case address), 'phone' (key = digits, 0xxxxxxxxx), later 'vneid' (key = OIDC subject).
CREATE TABLE portal.applicant_logins (
    provider      text NOT NULL CHECK (provider ~ '^[a-z][a-z0-9-]{1,31}$'),
    key           text NOT NULL CHECK (key <> ''),
    applicant_id  uuid NOT NULL REFERENCES portal.applicants (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, key)
);
CREATE INDEX applicant_logins_applicant ON portal.applicant_logins (applicant_id);

-- Password-reset links: only the SHA-256 of the token is kept; a token works once, before it expires.
CREATE TABLE portal.password_reset_tokens (
    token_sha256  text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    applicant_id  uuid NOT NULL REFERENCES portal.applicants (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);

-- Personal API tokens (businesses filing many dossiers): shown once, stored as SHA-256, revocable.
CREATE TABLE portal.api_tokens (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    applicant_id  uuid NOT NULL REFERENCES portal.applicants (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (btrim(name) <> ''),
    token_sha256  text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    prefix        text NOT NULL,                                      -- first characters, so the owner can tell tokens apart
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_applicant ON portal.api_tokens (applicant_id);

-- Transactional outbox (ARCHITECTURE.md, mail): written in the transaction of the change it reports; the jobs issue
-- delivers it. kind names the template; data carries the template's fields; subject/body are the plain-text rendering
-- made at write time so a message is complete even before templates exist.
CREATE TABLE portal.outbox_messages (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind             text NOT NULL,
    recipient        text NOT NULL,
    subject          text NOT NULL,
    body_text        text NOT NULL,
    data             jsonb NOT NULL DEFAULT '{}',
    dossier_id       uuid,
    created_at       timestamptz NOT NULL,
    status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_error       text,
    sent_at          timestamptz
);
CREATE INDEX outbox_messages_queued ON portal.outbox_messages (created_at) WHERE status IN ('queued', 'sending');

-- Content-addressed file store: one row per distinct content; the bytes live at <root>/<aa>/<bb>/<sha256>.
CREATE TABLE portal.stored_files (
    sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size        bigint NOT NULL CHECK (size >= 0),
    media_type  text NOT NULL,
    created_at  timestamptz NOT NULL
);

-- Per-procedure upload rules (UX.md §2.5); NULL means the site defaults (20 MB per file, 100 MB per dossier, no ZIP).
ALTER TABLE portal.procedure_version
    ADD COLUMN max_file_bytes    bigint CHECK (max_file_bytes > 0),
    ADD COLUMN max_dossier_bytes bigint CHECK (max_dossier_bytes > 0),
    ADD COLUMN allow_zip         boolean NOT NULL DEFAULT false;

-- A dossier from its first draft. status 0 is Portal's own "draft" (never exported); 1–10 are the national codes
-- (DOMAIN.md §3.1). The code is given on submission (R-C3). answers holds what the journey asked (applicant, owner,
-- delivery, declaration) as the person typed it; the columns beside it are what lookups and lists need.
CREATE TABLE portal.dossiers (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    applicant_id         uuid NOT NULL REFERENCES portal.applicants (id),
    procedure_id         uuid NOT NULL REFERENCES portal.procedure (id),
    version_id           uuid NOT NULL REFERENCES portal.procedure_version (id),
    receiving_agency_id  uuid NOT NULL REFERENCES portal.agency (id),
    status               smallint NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 10),
    sub_state            text,
    code                 text UNIQUE,
    channel              text NOT NULL DEFAULT 'online' CHECK (channel IN ('direct', 'online', 'postal')),
    answers              jsonb NOT NULL DEFAULT '{}',
    current_step         text NOT NULL DEFAULT 'nguoi-nop',            -- where a draft resumes
    row_version          integer NOT NULL DEFAULT 1,                   -- optimistic concurrency for edits from two tabs
    applicant_name       text,                                         -- filled on submission
    lookup_phone         text,                                         -- digits only; second factor of /tra-cuu
    lookup_id_number     text,                                         -- CCCD or tax code; second factor of /tra-cuu
    delivery_method      text CHECK (delivery_method IN ('online', 'counter', 'post')),
    submit_key           text,                                         -- idempotency key of the submission
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    expires_at           timestamptz,                                  -- drafts only
    expiry_reminded_at   timestamptz,
    submitted_at         timestamptz,
    due_at               timestamptz,                                  -- the appointment as last computed (the ledger is the truth)
    CHECK ((status = 0) = (code IS NULL)),
    CHECK (status = 0 OR submitted_at IS NOT NULL)
);
CREATE UNIQUE INDEX dossiers_submit_key ON portal.dossiers (applicant_id, submit_key) WHERE submit_key IS NOT NULL;
CREATE INDEX dossiers_applicant ON portal.dossiers (applicant_id, updated_at DESC);
CREATE INDEX dossiers_drafts_expiring ON portal.dossiers (expires_at) WHERE status = 0;
CREATE INDEX dossiers_agency_status ON portal.dossiers (receiving_agency_id, status);

ALTER TABLE portal.dossier_clock_segments
    ADD CONSTRAINT dossier_clock_segments_dossier FOREIGN KEY (dossier_id) REFERENCES portal.dossiers (id);
ALTER TABLE portal.dossier_deadline_extensions
    ADD CONSTRAINT dossier_deadline_extensions_dossier FOREIGN KEY (dossier_id) REFERENCES portal.dossiers (id);
ALTER TABLE portal.outbox_messages
    ADD CONSTRAINT outbox_messages_dossier FOREIGN KEY (dossier_id) REFERENCES portal.dossiers (id);

-- Files attached to a dossier, per document of the procedure version (procedure_document.line_no). A removed file
-- keeps its row (removed_at) so the history stays explainable; a resubmitted supplement adds rows.
CREATE TABLE portal.dossier_files (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    dossier_id           uuid NOT NULL REFERENCES portal.dossiers (id),
    line_no              smallint NOT NULL,
    file_name            text NOT NULL CHECK (btrim(file_name) <> ''),
    sha256               text NOT NULL REFERENCES portal.stored_files (sha256),
    size                 bigint NOT NULL,
    media_type           text NOT NULL,
    signature_report_id  bigint REFERENCES portal.signature_reports (id),
    uploaded_at          timestamptz NOT NULL,
    uploaded_by          text NOT NULL,
    removed_at           timestamptz
);
CREATE INDEX dossier_files_dossier ON portal.dossier_files (dossier_id) WHERE removed_at IS NULL;

-- Every step of a dossier's life (the citizen's timeline, the staff control slip, statistics): append-only.
CREATE TABLE portal.dossier_history (
    dossier_id    uuid NOT NULL REFERENCES portal.dossiers (id),
    seq           integer NOT NULL CHECK (seq >= 1),
    at            timestamptz NOT NULL,
    action        text NOT NULL,
    from_status   smallint,
    to_status     smallint NOT NULL,
    actor         text NOT NULL,                                      -- 'applicant:<id>', 'staff:<login>', 'system'
    agency_code   text,
    note          text,
    PRIMARY KEY (dossier_id, seq)
);

-- R-C3 / DOMAIN.md §5.1: the day's sequence per receiving unit. The upsert row-locks (unit, day) until the submitting
-- transaction ends, so a rolled-back submission gives its number back and the numbers have no gaps.
CREATE TABLE portal.dossier_code_counters (
    unit_code  text NOT NULL,
    day        date NOT NULL,
    n          integer NOT NULL CHECK (n >= 1),
    PRIMARY KEY (unit_code, day)
);
