-- Seeds the reminder sweep's benchmark (tests/Portal.Benchmarks/reminders.sh, docs/PERFORMANCE.md "Reminder sweep
-- (issue 7)"): :dossiers open dossiers (1000000), all of them candidates' neighbours, spread over :units agency units
-- (300), with staff who have e-mail addresses. Expects the demo catalogue imported (its procedure versions are used,
-- on their default workflow: step 0 reception, 1 appraisal by a specialist, 2 the leader's approval).
--
-- Set-based like seed-back-office.sql: rows computed once, inserted with session_replication_role = replica (no
-- foreign-key triggers; the rows are consistent by construction). Only what the sweep reads is filled: no history, no
-- clock segments.
--
-- Dates are relative to now() (by a hash of the row number), so "how many are due" depends a little on the weekday:
--   2 received (5 %), step 0;  4 in processing (80 %), step 1 (two thirds) or 2, 30 % of step 1 assigned:
--       step due from 2 days ago to 28 days ahead (≈ 7 % overdue, ≈ 1 % under 4 working hours), due 2 days after the
--       step's due at step 1 and at it at step 2, at risk from the step's due;
--   5 awaiting supplement (8 %): the open request made 0 … 15 days ago (about half older than 5 working days);
--   9 processed (7 %): finished 0 … 10 days ago (about 60 % older than 3 working days); delivery online 70 %, at the
--       counter 20 %, by post 10 % (not reminded).
-- 85 % filed online by an applicant with an e-mail address; the rest walk-ins, half of them without one.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;
SET LOCAL session_replication_role = replica;
SET LOCAL work_mem = '256MB';

-- ---- units: the catalogue's, then generated communes up to :units ----
INSERT INTO portal.agency (id, code, name, level, address, email)
SELECT md5('rem-unit-' || g)::uuid, lpad(g::text, 3, '0') || '.30.00.H99', 'Ủy ban nhân dân xã Nhắc ' || g, 'commune',
       'Số ' || g || ' đường Thử nghiệm', 'xa' || g || '@binhson.gov.vn'
  FROM generate_series(1, :units - (SELECT count(*) FROM portal.agency WHERE NOT any_commune)) g;

CREATE TEMP TABLE rem_units AS
SELECT (row_number() OVER (ORDER BY a.code) - 1)::int AS k, a.id, a.code
  FROM portal.agency a WHERE NOT a.any_commune;

CREATE TEMP TABLE rem_versions AS
SELECT (row_number() OVER (ORDER BY p.code) - 1)::int AS k, p.id AS procedure_id, v.id AS version_id
  FROM portal.procedure p
  JOIN portal.procedure_version v ON v.procedure_id = p.id
 WHERE v.effective_from <= current_date AND (v.effective_to IS NULL OR v.effective_to > current_date);

-- ---- staff: at every unit a receiving officer, two specialists and a leader, each with an address ----
INSERT INTO portal.staff_accounts (login, display_name, password_hash, roles, agency_code, email)
SELECT 'rem' || u.k || '.' || r.stem, 'Cán bộ thử ' || u.k || ' ' || r.stem, 'not-a-password-hash', ARRAY[r.role], u.code,
       'rem' || u.k || '.' || r.stem || '@binhson.gov.vn'
  FROM rem_units u
  CROSS JOIN (VALUES ('tiepnhan', 'receiving-officer'), ('chuyenvien1', 'specialist'), ('chuyenvien2', 'specialist'),
                     ('lanhdao', 'agency-leader')) AS r(stem, role);

-- ---- applicants ----
INSERT INTO portal.applicants (id, kind, full_name, birth_date, id_number, address, email, phone, created_at)
SELECT md5('rem-applicant-' || i)::uuid, 'individual', 'Công dân thử ' || i, date '1960-01-01' + i % 15000,
       '07' || lpad(i::text, 10, '0'), 'Số ' || i || ' đường Lê Lợi', 'nhac' || i || '@example.com', '07' || lpad(i::text, 8, '0'),
       now() - interval '400 days'
  FROM generate_series(1, 100000) i;

-- ---- dossiers ----
CREATE TEMP TABLE rem_rows AS
WITH base AS (
    SELECT i, mod(abs(hashint4(i)::bigint), 10000)::int AS r, mod(abs(hashint4(i + 11)::bigint), 10000)::int AS r2,
           mod(abs(hashint4(i + 29)::bigint), 100000)::int AS r3
      FROM generate_series(1, :dossiers) i
)
SELECT b.i, b.r, b.r2, b.r3,
       CASE WHEN b.r < 500 THEN 2 WHEN b.r < 8500 THEN 4 WHEN b.r < 9300 THEN 5 ELSE 9 END::smallint AS status,
       md5('rem-dossier-' || b.i)::uuid AS id, 1 + b.i % 100000 AS owner_no,
       u.id AS unit_id, u.code AS unit_code, v.procedure_id, v.version_id,
       b.r2 % 100 < 85 AS online,
       -- minutes from now: the current step's due (2, 4), the supplement request (5), the result (9)
       CASE WHEN b.r < 8500 THEN -2880 + b.r3 % 43200                 -- −2 … +28 days
            WHEN b.r < 9300 THEN -(b.r3 % 21600)                      -- 0 … 15 days ago
            ELSE -(b.r3 % 14400) END AS minutes                        -- 0 … 10 days ago
  FROM base b
  JOIN rem_units u ON u.k = b.i % :units
  JOIN rem_versions v ON v.k = b.i % (SELECT count(*) FROM rem_versions);

CREATE TEMP TABLE rem_dossiers AS
SELECT x.*, now() + x.minutes * interval '1 minute' AS at,
       CASE WHEN x.status = 2 THEN 0 WHEN x.status = 4 THEN CASE WHEN x.r2 % 3 < 2 THEN 1 ELSE 2 END
            WHEN x.status = 5 THEN 1 ELSE 2 END::smallint AS step
  FROM rem_rows x;

INSERT INTO portal.dossiers (id, applicant_id, procedure_id, version_id, receiving_agency_id, status, sub_state, code, channel,
                             answers, current_step, row_version, applicant_name, delivery_method, created_at, updated_at,
                             submitted_at, due_at, step, holder_agency_id, assignee_id, received_at, original_due_at,
                             step_due_at, risk_at, finished_at)
SELECT d.id, CASE WHEN d.online THEN md5('rem-applicant-' || d.owner_no)::uuid END, d.procedure_id, d.version_id, d.unit_id, d.status,
       CASE d.status WHEN 2 THEN '2.to_forward' WHEN 4 THEN '4.review' WHEN 5 THEN '5.in_processing' ELSE '9.online' END,
       d.unit_code || '-R' || lpad(d.i::text, 7, '0'), CASE WHEN d.online THEN 'online' ELSE 'direct' END,
       jsonb_build_object('applicant', jsonb_build_object('kind', 'individual', 'fullName', 'Công dân thử ' || d.owner_no,
           'phone', '07' || lpad(d.owner_no::text, 8, '0'),
           'email', CASE WHEN d.online OR d.r2 % 2 = 0 THEN 'nhac' || d.owner_no || '@example.com' ELSE '' END), 'declared', true),
       'kiem-tra', 3, 'Công dân thử ' || d.owner_no,
       CASE WHEN d.status <> 9 OR d.r3 % 10 < 7 THEN 'online' WHEN d.r3 % 10 < 9 THEN 'counter' ELSE 'post' END,
       d.at - interval '12 days', d.at - interval '1 hour', d.at - interval '12 days',
       CASE WHEN d.status IN (2, 4) THEN d.at + CASE WHEN d.step < 2 THEN interval '2 days' ELSE interval '0' END
            ELSE d.at + interval '5 days' END,
       d.step, d.unit_id,
       CASE WHEN d.status = 4 AND d.step = 1 AND d.r3 % 10 < 3
            THEN (SELECT s.id FROM portal.staff_accounts s WHERE s.login = 'rem' || (d.i % :units) || '.chuyenvien1') END,
       d.at - interval '11 days', d.at + interval '5 days',
       CASE WHEN d.status IN (2, 4) THEN d.at END,
       CASE WHEN d.status IN (2, 4) THEN d.at END,
       CASE WHEN d.status = 9 THEN d.at END
  FROM rem_dossiers d;

INSERT INTO portal.supplement_requests (dossier_id, requested_at, requested_by, at_reception, items)
SELECT d.id, d.at, 'staff:bench', false,
       '[{"lineNo": 1, "name": "Tờ khai theo mẫu", "reason": "Thiếu chữ ký ở trang 2"}]'::jsonb
  FROM rem_dossiers d WHERE d.status = 5;

COMMIT;
ANALYZE portal.agency, portal.applicants, portal.dossiers, portal.supplement_requests, portal.staff_accounts;

SELECT (SELECT count(*) FROM portal.dossiers WHERE status IN (2, 4, 5, 9)) AS open,
       (SELECT count(*) FROM portal.dossiers WHERE status IN (2, 4) AND step_due_at < now()) AS overdue_steps,
       (SELECT count(*) FROM portal.supplement_requests WHERE answered_at IS NULL) AS open_requests,
       (SELECT count(*) FROM portal.dossiers WHERE status = 9) AS results_ready,
       (SELECT count(*) FROM rem_units) AS units,
       (SELECT count(*) FROM portal.staff_accounts WHERE login LIKE 'rem%') AS staff;
