-- Staff accounts (ARCHITECTURE.md: local accounts with roles per agency unit). This first cut carries what the
-- calendar administration needs — sign-in, lockout, roles — and is extended by the back-office issue.
CREATE TABLE portal.staff_accounts (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    login            text NOT NULL UNIQUE CHECK (login = lower(login) AND login ~ '^[a-z0-9._@-]{3,64}$'),
    display_name     text NOT NULL CHECK (btrim(display_name) <> ''),
    password_hash    text NOT NULL,
    roles            text[] NOT NULL CHECK (roles <@ ARRAY['receiving-officer', 'specialist', 'head-of-division',
                                                            'agency-leader', 'result-officer', 'administrator',
                                                            'supervisor']),
    agency_code      text REFERENCES portal.agency (code),
    failed_sign_ins  integer NOT NULL DEFAULT 0,
    locked_until     timestamptz,
    security_stamp   uuid NOT NULL DEFAULT gen_random_uuid(),   -- changes on password change: other sessions end
    created_at       timestamptz NOT NULL DEFAULT now()
);
