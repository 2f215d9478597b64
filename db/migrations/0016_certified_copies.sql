-- Electronic certified copies (chứng thực bản sao điện tử từ bản chính, DOMAIN.md §8, R-I1…R-I6).

-- Which procedure versions issue electronic certified copies, and which of their documents holds the scans of the
-- original ("Bản sao cần chứng thực"). A catalogue package marks a procedure with "certifiedCopy": true; the importer
-- stores the line of its copy document (copies > 0, no originals) here. NULL: an ordinary procedure.
ALTER TABLE portal.procedure_version ADD COLUMN certified_copy_line smallint CHECK (certified_copy_line >= 1);

-- Databases imported before the flag existed: the national procedure 2.000815 (copies from originals issued by
-- Vietnamese authorities, commune level) is the one the demo catalogue marks. Its copy document is found as the
-- importer finds it.
UPDATE portal.procedure_version v
   SET certified_copy_line = (SELECT min(d.line_no) FROM portal.procedure_document d
                               WHERE d.version_id = v.id AND d.copies > 0 AND d.originals = 0)
 WHERE v.procedure_id IN (SELECT id FROM portal.procedure WHERE national_code = '2.000815');

-- What the scan check found on upload (ScanResolution): the page count the fee is computed from (R-I5) and the
-- lowest resolution measured, NULL when it could not be measured (a page that is not a scan, an image without
-- density and of no page size). Only the scans of a certified-copy document carry them.
ALTER TABLE portal.dossier_files
    ADD COLUMN pages     integer CHECK (pages >= 1),
    ADD COLUMN scan_dpi  integer CHECK (scan_dpi >= 1);

-- The electronic-copy certification book (sổ chứng thực bản sao điện tử) of each agency and year, separate from the
-- paper book (R-I4, §8.1 step 4): kind 'electronic-copy'. last_no is the last number given. The issuing transaction
-- takes the next number with an upsert that row-locks (agency, year, kind) until it commits, so a rolled-back issue
-- gives its number back and the numbers of a year have no gaps, whatever the number of workers.
CREATE TABLE portal.certification_books (
    agency_code  text NOT NULL REFERENCES portal.agency (code),
    year         smallint NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    kind         text NOT NULL CHECK (kind IN ('electronic-copy', 'paper-copy')),
    last_no      integer NOT NULL CHECK (last_no >= 0),
    opened_at    timestamptz NOT NULL,                 -- the first number of the year opened the book
    PRIMARY KEY (agency_code, year, kind)
);

-- One certified copy of a dossier, from the certifying officer's approval (status 'pending') to the signed PDF
-- (status 'issued'). The job claims pending rows with FOR UPDATE SKIP LOCKED; a failed attempt stays pending with
-- its error (shown to the officer) and is retried after next_attempt_at. code is the public verification code
-- (/xac-thuc/{code}, printed as a QR code on the copy); it is random, so codes cannot be enumerated.
CREATE TABLE portal.certified_copies (
    id               uuid PRIMARY KEY,
    dossier_id       uuid NOT NULL REFERENCES portal.dossiers (id),
    status           text NOT NULL CHECK (status IN ('pending', 'issued', 'cancelled')),
    pages            integer NOT NULL CHECK (pages >= 1),
    copies           smallint NOT NULL CHECK (copies BETWEEN 1 AND 50),
    fee_vnd          bigint NOT NULL CHECK (fee_vnd >= 0),
    requested_at     timestamptz NOT NULL,
    requested_by     text NOT NULL,                    -- the certifying officer who approved ('staff:<login>')
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    last_error       text,
    -- filled when issued
    code             text UNIQUE CHECK (code ~ '^[A-Z2-7]{16}$'),
    agency_code      text REFERENCES portal.agency (code),
    agency_name      text,
    book_year        smallint,
    book_no          integer CHECK (book_no >= 1),
    signer_name      text,
    signer_title     text,
    sha256           text REFERENCES portal.stored_files (sha256),
    size             bigint,
    result_code      text,
    issued_at        timestamptz,
    cancelled_note   text,
    CHECK ((status = 'issued') = (code IS NOT NULL AND book_no IS NOT NULL AND sha256 IS NOT NULL AND issued_at IS NOT NULL))
);
CREATE UNIQUE INDEX certified_copies_open ON portal.certified_copies (dossier_id) WHERE status IN ('pending', 'issued');
CREATE UNIQUE INDEX certified_copies_book ON portal.certified_copies (agency_code, book_year, book_no) WHERE status = 'issued';
CREATE INDEX certified_copies_pending ON portal.certified_copies (requested_at) WHERE status = 'pending';
