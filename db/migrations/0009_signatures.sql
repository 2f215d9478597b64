-- Signature validation reports (SIGNATURES.md §7) and administrators' additions to the trust store (§8).

-- One row per verification, never edited: a re-validation (new trust store or policy, an INDETERMINATE retry, a
-- staff request) adds a row, and the latest row for a file is the one shown. The uploads issue links documents to
-- these rows; until then a report is found by the file's SHA-256.
CREATE TABLE portal.signature_reports (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_sha256         text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    file_size           bigint NOT NULL CHECK (file_size >= 0),
    media_type          text NOT NULL,
    format              text NOT NULL CHECK (format IN ('pdf', 'cms-detached', 'cms-enveloping')),
    indication          text NOT NULL CHECK (indication IN ('TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE', 'NO_SIGNATURE_FOUND')),
    sub_indication      text,
    summary             text NOT NULL,              -- the Vietnamese headline and reason, as the citizen saw it
    purpose             text NOT NULL CHECK (purpose IN ('upload', 'issued', 'recheck')),
    validated_at        timestamptz NOT NULL,
    validation_time     timestamptz NOT NULL,       -- the time the signatures were judged at (may be "as of")
    validator_version   text NOT NULL,
    policy_version      text NOT NULL,
    trust_store_version text NOT NULL,
    report              jsonb NOT NULL
);
CREATE INDEX signature_reports_file ON portal.signature_reports (file_sha256, validated_at DESC);
-- The re-validation job looks for undetermined reports whose file has no newer report.
CREATE INDEX signature_reports_indeterminate ON portal.signature_reports (validated_at) WHERE indication = 'INDETERMINATE';

-- Extra anchors and intermediates added by administrators on top of the shipped store. A removal keeps the row
-- (reports name the trust-store version they used, which must stay explainable).
CREATE TABLE portal.trust_certificates (
    sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9A-F]{64}$'),
    role        text NOT NULL CHECK (role IN ('anchor', 'intermediate')),
    subject     text NOT NULL,
    not_before  timestamptz NOT NULL,
    not_after   timestamptz NOT NULL,
    der         bytea NOT NULL,
    note        text NOT NULL CHECK (btrim(note) <> ''),
    added_by    text NOT NULL,
    added_at    timestamptz NOT NULL DEFAULT now(),
    removed_by  text,
    removed_at  timestamptz
);

-- Bumped on every change so each node rebuilds its trust store (the same pattern as the catalogue and calendar).
CREATE TABLE portal.trust_state (
    id      boolean PRIMARY KEY DEFAULT true CHECK (id),
    version bigint NOT NULL DEFAULT 1
);
INSERT INTO portal.trust_state DEFAULT VALUES;
