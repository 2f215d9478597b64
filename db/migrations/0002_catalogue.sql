-- Procedure catalogue (DOMAIN.md R-A1..R-A4). A procedure is an identity (its code); what it requires lives in
-- versions, each in force over [effective_from, effective_to). A dossier keeps the version id in force when it was
-- received (R-A3), so versions are never edited once published: a change is a new version.

CREATE TABLE portal.agency (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE,          -- document-exchange code, Circular 10/2016/TT-BTTTT (e.g. 000.00.12.H56)
    name        text NOT NULL,
    level       text NOT NULL CHECK (level IN ('province', 'commune')),
    parent_id   uuid REFERENCES portal.agency (id),
    address     text,
    phone       text,
    email       text
);

CREATE TABLE portal.field (
    id    uuid PRIMARY KEY,
    code  text NOT NULL UNIQUE,                -- URL slug, e.g. 'ho-tich'
    name  text NOT NULL
);

CREATE TABLE portal.procedure (
    id             uuid PRIMARY KEY,
    code           text NOT NULL UNIQUE,       -- national code + provincial suffix, e.g. 1.001193.H99
    national_code  text NOT NULL,              -- e.g. 1.001193
    popular_rank   smallint CHECK (popular_rank > 0)  -- shown on the home page; later derived from dossier counts
);

CREATE TABLE portal.procedure_version (
    id               uuid PRIMARY KEY,
    procedure_id     uuid NOT NULL REFERENCES portal.procedure (id),
    name             text NOT NULL,
    agency_id        uuid NOT NULL REFERENCES portal.agency (id),
    field_id         uuid NOT NULL REFERENCES portal.field (id),
    level            text NOT NULL CHECK (level IN ('province', 'commune')),
    channels         text[] NOT NULL CHECK (cardinality(channels) > 0
                                            AND channels <@ ARRAY['direct', 'online', 'postal']::text[]),
    online_level     text NOT NULL CHECK (online_level IN ('full', 'partial', 'none')),  -- Decree 42/2022 Art 11
    legacy_level     smallint NOT NULL CHECK (legacy_level BETWEEN 1 AND 4),            -- Decree 43/2011 Art 3 (R-B3)
    subjects         text[] NOT NULL DEFAULT '{}',
    result_type      text NOT NULL,
    legal_basis      text[] NOT NULL DEFAULT '{}',
    steps_md         text NOT NULL DEFAULT '',
    requirements_md  text,
    description_md   text NOT NULL DEFAULT '',
    decision_number  text NOT NULL,            -- publication decision (quyết định công bố)
    decision_date    date NOT NULL,
    effective_from   date NOT NULL,
    effective_to     date,                     -- the day the next version takes over; NULL while current
    search_name      text GENERATED ALWAYS AS (portal.fold(name)) STORED,
    -- Name words weigh more than description words; both folded, so "dang ky" finds "Đăng ký".
    search_vector    tsvector GENERATED ALWAYS AS (
                         setweight(to_tsvector('simple'::regconfig, portal.fold(name)), 'A')
                      || setweight(to_tsvector('simple'::regconfig, portal.fold(description_md)), 'B')) STORED,
    CHECK (effective_to IS NULL OR effective_to > effective_from),
    -- Online submission is offered exactly when the procedure has an online level.
    CHECK ((online_level = 'none') = NOT ('online' = ANY (channels))),
    -- Two versions of one procedure are never in force on the same day.
    EXCLUDE USING gist (procedure_id WITH =, daterange(effective_from, effective_to) WITH &&)
);

CREATE INDEX procedure_version_search_vector ON portal.procedure_version USING gin (search_vector);
CREATE INDEX procedure_version_search_name_trgm ON portal.procedure_version USING gin (search_name gin_trgm_ops);
CREATE INDEX procedure_version_agency ON portal.procedure_version (agency_id);
CREATE INDEX procedure_version_field ON portal.procedure_version (field_id);

CREATE TABLE portal.procedure_processing_time (
    version_id  uuid NOT NULL REFERENCES portal.procedure_version (id),
    channel     text NOT NULL CHECK (channel IN ('direct', 'online', 'postal')),
    amount      numeric(6, 2) NOT NULL CHECK (amount > 0),
    unit        text NOT NULL CHECK (unit IN ('working-days', 'calendar-days', 'working-hours')),
    note        text,
    PRIMARY KEY (version_id, channel)
);

CREATE TABLE portal.procedure_fee (
    version_id   uuid NOT NULL REFERENCES portal.procedure_version (id),
    line_no      smallint NOT NULL,
    description  text NOT NULL,
    amount_vnd   bigint NOT NULL CHECK (amount_vnd >= 0),
    PRIMARY KEY (version_id, line_no)
);

CREATE TABLE portal.procedure_document (
    version_id      uuid NOT NULL REFERENCES portal.procedure_version (id),
    line_no         smallint NOT NULL,
    name            text NOT NULL,
    originals       smallint NOT NULL DEFAULT 0 CHECK (originals >= 0),
    copies          smallint NOT NULL DEFAULT 0 CHECK (copies >= 0),
    required        boolean NOT NULL,
    template_file   text,
    must_be_signed  boolean NOT NULL DEFAULT false,   -- the uploaded file must carry a valid digital signature
    PRIMARY KEY (version_id, line_no)
);
