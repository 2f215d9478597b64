-- Seeds the back office for tests/Portal.Benchmarks/back-office.sh (docs/PERFORMANCE.md, back office): agency units,
-- applicants, dossiers over two years with their history and (pending ones) clock segments, staff and API tokens.
-- Expects the demo catalogue imported (its procedure versions are used) and a staff account :'template_login' made by
-- `Portal.Web add-staff` (its password hash is copied to every benchmark officer).
-- Variables: dossiers (1000000: the general population, 5 % pending), units (300), receive_units (50), receive_per_unit
--            (400: extra status-1 dossiers in each of those units for the "receive" run), template_login, token_prefix
--            (the plaintext tokens are <token_prefix><unit k>; only their SHA-256 is stored).
--
-- Set-based and fast on 2 cores: the rows are computed once into a temporary table; the inserts run with
-- session_replication_role = replica, which skips the foreign-key triggers (the rows are consistent by construction:
-- every id comes from the tables filled just before). The schema itself (indexes, constraints) is not touched.
--
-- Units: the catalogue's 23 real units (the "any commune" virtual unit gets no dossier: every commune officer's scope
-- includes it, see BackOffice.ScopeSql) plus generated ones up to :units: 20 provincial branch offices with a parent
-- (a department of the catalogue), the rest communes. Unit k = 0 … units-1; units 0 … receive_units-1 are communes and
-- hold the "receive" pool; the measured unit is a commune from the others (the script picks k = units / 2).
--
-- Statuses of the general population (by a hash of the row number): 95 % finished — 2 % refused (3), 1 % stopped (8),
-- 92 % returned (10) — and 5 % pending: 1 % submitted (1), 0.3 % received (2), 2.5 % in processing (4), 0.5 % awaiting
-- supplement (5), 0.3 % awaiting fees (6), 0.4 % processed (9). Finished dossiers were submitted 20 … 730 days ago,
-- pending ones in the last 0 … 20 days (status 1: the last 3 days). In processing (2, 4) the due is 12 … 20 calendar
-- days after reception, the current step's due 3 days after it started, and risk_at 4 days before the due: about a
-- third of them are already at risk. 20 % of status 4 is held by another unit (inter-agency step).
-- History: submit / receive / done / return-result for a returned dossier, proportionate rows for the others.
-- Clock segments: pending dossiers only (the ledger a transition loads): status 1 and 2 one open running segment at
-- step 0 (as Dossiers.SubmitAsync writes it), 4 a closed step 0 and an open step 1, 5/6 a closed step and an open
-- stopped segment, 9 a closed one.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;
SET LOCAL session_replication_role = replica;
SET LOCAL work_mem = '256MB';

-- ---- units ----
INSERT INTO portal.agency (id, code, name, level, parent_id, address)
SELECT md5('bench-unit-' || g)::uuid,
       CASE WHEN g <= 20 THEN '000.10.' || lpad(g::text, 2, '0') || '.H99' ELSE lpad(g::text, 3, '0') || '.20.00.H99' END,
       CASE WHEN g <= 20 THEN 'Chi nhánh thử ' || g ELSE 'Ủy ban nhân dân xã Thử ' || g END,
       CASE WHEN g <= 20 THEN 'province' ELSE 'commune' END,
       CASE WHEN g <= 20 THEN (SELECT id FROM portal.agency WHERE level = 'province' AND NOT any_commune ORDER BY code
                                OFFSET g % 5 LIMIT 1) END,
       'Số ' || g || ' đường Thử nghiệm'
  FROM generate_series(1, :units - (SELECT count(*) FROM portal.agency WHERE NOT any_commune)) g;

CREATE TEMP TABLE bench_units AS
SELECT (row_number() OVER (ORDER BY (a.level = 'commune' AND a.code LIKE '%.20.00.H99') DESC, a.code) - 1)::int AS k,
       a.id, a.code, a.level
  FROM portal.agency a WHERE NOT a.any_commune;

-- ---- procedure versions: every one offered online today with a processing time and documents ----
CREATE TEMP TABLE bench_versions AS
SELECT (row_number() OVER (ORDER BY p.code) - 1)::int AS k, p.id AS procedure_id, v.id AS version_id, v.name
  FROM portal.procedure p
  JOIN portal.procedure_version v ON v.procedure_id = p.id
 WHERE v.online_level <> 'none' AND v.effective_from <= current_date AND (v.effective_to IS NULL OR v.effective_to > current_date)
   AND EXISTS (SELECT 1 FROM portal.procedure_processing_time t WHERE t.version_id = v.id AND t.channel IN ('online', 'direct'))
   AND EXISTS (SELECT 1 FROM portal.procedure_document d WHERE d.version_id = v.id);

-- ---- applicants ----
INSERT INTO portal.applicants (id, kind, full_name, birth_date, id_number, address, email, phone, created_at)
SELECT md5('bench-applicant-' || i)::uuid, 'individual', 'Công dân thử ' || i, date '1960-01-01' + i % 15000,
       '08' || lpad(i::text, 10, '0'), 'Số ' || i || ' đường Lê Lợi', 'bo' || i || '@example.com', '08' || lpad(i::text, 8, '0'),
       now() - interval '800 days'
  FROM generate_series(1, 100000) i;

-- ---- dossiers ----
CREATE TEMP TABLE bench_rows AS
WITH base AS (
    SELECT i, mod(abs(hashint4(i)::bigint), 10000)::int AS r, mod(abs(hashint4(i + 7)::bigint), 10000)::int AS r2,
           CASE WHEN i <= :dossiers THEN i % :units ELSE (i - :dossiers - 1) % :receive_units END AS k
      FROM generate_series(1, :dossiers + :receive_units * :receive_per_unit) i
), st AS (
    SELECT b.*,
           CASE WHEN i > :dossiers THEN 1
                WHEN r < 100 THEN 1 WHEN r < 130 THEN 2 WHEN r < 380 THEN 4 WHEN r < 430 THEN 5 WHEN r < 460 THEN 6
                WHEN r < 500 THEN 9 WHEN r < 700 THEN 3 WHEN r < 800 THEN 8 ELSE 10 END::smallint AS status
      FROM base b
), dated AS (
    SELECT s.*,
           CASE WHEN status = 1 THEN r2 % 3 WHEN status IN (3, 8, 10) THEN 20 + r2 % 711 ELSE r2 % 21 END AS age_days
      FROM st s
)
SELECT i, d.k, d.status, d.r, d.r2,
       md5('bench-dossier-' || i)::uuid AS id, md5('bench-applicant-' || (1 + i % 100000))::uuid AS applicant_id, 1 + i % 100000 AS owner_no,
       v.procedure_id, v.version_id, u.id AS unit_id, u.code AS unit_code,
       CASE WHEN d.status = 4 AND d.r2 % 5 = 0 THEN (SELECT id FROM bench_units x WHERE x.k = (d.k + 7) % :units) ELSE u.id END AS holder_id,
       CASE WHEN d.status = 4 AND d.r2 % 5 = 0 THEN (SELECT code FROM bench_units x WHERE x.k = (d.k + 7) % :units) ELSE u.code END AS holder_code,
       CASE WHEN d.status = 1 OR d.r2 % 7 <> 0 THEN 'online' ELSE 'direct' END AS channel,
       ((current_date - d.age_days) + time '07:30' + (d.r % 540) * interval '1 minute') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS submitted_at,
       current_date - d.age_days AS day
  FROM dated d
  JOIN bench_units u ON u.k = d.k
  JOIN bench_versions v ON v.k = d.i % (SELECT count(*) FROM bench_versions);
-- Submission within the last 3 days may lie in the future for today's later minutes: clamp to now.
UPDATE bench_rows SET submitted_at = now() - (r % 600) * interval '1 second' WHERE submitted_at > now();

CREATE TEMP TABLE bench_dossiers AS
SELECT b.*,
       b.unit_code || '-' || to_char(b.day, 'YYMMDD') || '-' || lpad(row_number() OVER (PARTITION BY b.unit_code, b.day ORDER BY b.i)::text, 4, '0') AS code,
       CASE WHEN b.status >= 2 AND b.status <> 3 THEN b.submitted_at + interval '2 hours' END AS received_at,
       CASE WHEN b.status = 3 THEN NULL
            WHEN b.status = 1 THEN b.submitted_at + interval '10 days'
            ELSE b.submitted_at + interval '2 hours' + (12 + b.r % 9) * interval '1 day' END AS due_at
  FROM bench_rows b;

INSERT INTO portal.dossiers (id, applicant_id, procedure_id, version_id, receiving_agency_id, status, sub_state, code, channel,
                             answers, current_step, row_version, applicant_name, lookup_phone, lookup_id_number, delivery_method,
                             created_at, updated_at, submitted_at, due_at, step, holder_agency_id, received_at, original_due_at,
                             step_due_at, risk_at, approved_at, approved_by, finished_at, returned_at, return_method, returned_to)
SELECT b.id, CASE WHEN b.channel = 'online' THEN b.applicant_id END, b.procedure_id, b.version_id, b.unit_id, b.status,
       CASE b.status WHEN 1 THEN '1.online' WHEN 2 THEN '2.to_forward' WHEN 4 THEN '4.review' WHEN 5 THEN '5.in_processing' END,
       b.code, b.channel,
       jsonb_build_object('applicant', jsonb_build_object('kind', 'individual', 'fullName', 'Công dân thử ' || b.owner_no,
           'birthDate', '05/03/1990', 'idNumber', '08' || lpad(b.owner_no::text, 10, '0'), 'address', 'Số ' || b.owner_no || ' đường Lê Lợi',
           'phone', '08' || lpad(b.owner_no::text, 8, '0'), 'email', 'bo' || b.owner_no || '@example.com'), 'declared', true),
       'kiem-tra', 3, 'Công dân thử ' || b.owner_no, '08' || lpad(b.owner_no::text, 8, '0'), '08' || lpad(b.owner_no::text, 10, '0'), 'online',
       b.submitted_at - interval '1 hour',
       coalesce(CASE WHEN b.status IN (3, 8, 9, 10) THEN b.received_at + interval '6 days' END, b.received_at + interval '1 day', b.submitted_at),
       b.submitted_at, b.due_at,
       CASE WHEN b.status IN (2, 5, 6) THEN 0 WHEN b.status = 4 THEN 1 END,
       CASE WHEN b.status NOT IN (1, 3) THEN b.holder_id END,
       b.received_at, CASE WHEN b.received_at IS NOT NULL THEN b.due_at END,
       CASE WHEN b.status = 2 THEN b.received_at + interval '1 day'
            WHEN b.status = 4 THEN b.received_at + interval '1 day' + interval '3 days' END,
       CASE WHEN b.status IN (2, 4) THEN b.due_at - interval '4 days' END,
       CASE WHEN b.status IN (9, 10) THEN b.received_at + interval '5 days' END,
       CASE WHEN b.status IN (9, 10) THEN 'staff:bench' END,
       CASE WHEN b.status IN (8, 9, 10) THEN b.received_at + interval '6 days' END,
       CASE WHEN b.status = 10 THEN b.received_at + interval '7 days' END,
       CASE WHEN b.status = 10 THEN 'online' END,
       CASE WHEN b.status = 10 THEN 'Công dân thử ' || b.owner_no END
  FROM bench_dossiers b;

-- ---- history (the citizen's timeline, the control slip) ----
INSERT INTO portal.dossier_history (dossier_id, seq, at, action, from_status, to_status, actor, agency_code, note, step, to_step, to_agency_code, outcome)
SELECT b.id, h.seq, h.at, h.action, h.from_status, h.to_status, h.actor, b.unit_code, h.note, h.step, h.to_step, h.to_agency, h.outcome
  FROM bench_dossiers b
  CROSS JOIN LATERAL (VALUES
      (1, b.submitted_at, CASE WHEN b.channel = 'online' THEN 'submit' ELSE 'intake' END, 0::smallint, 1::smallint,
       'applicant:' || b.applicant_id, NULL::text, NULL::smallint, NULL::smallint, NULL::text, NULL::text, true),
      (2, b.submitted_at + interval '2 hours', CASE WHEN b.status = 3 THEN 'refuse' ELSE 'receive' END, 1::smallint,
       CASE WHEN b.status = 3 THEN 3 ELSE 2 END::smallint, 'staff:bench', NULL, 0::smallint, NULL, NULL, NULL, b.status <> 1),
      (3, b.submitted_at + interval '1 day 2 hours',
       CASE b.status WHEN 4 THEN 'forward' WHEN 5 THEN 'request-supplement' WHEN 6 THEN 'request-fees' WHEN 8 THEN 'stop' ELSE 'done' END,
       CASE WHEN b.status IN (8, 9, 10) THEN 4 ELSE 2 END::smallint,
       CASE WHEN b.status = 10 THEN 9 ELSE b.status END::smallint, 'staff:bench', NULL, 0::smallint,
       CASE WHEN b.status = 4 THEN 1 END::smallint, CASE WHEN b.status = 4 THEN b.holder_code END, 'on-time',
       b.status IN (4, 5, 6, 8, 9, 10)),
      (4, b.received_at + interval '7 days', 'return-result', 9::smallint, 10::smallint, 'staff:bench', 'Trả trực tuyến',
       NULL, NULL, NULL, NULL, b.status = 10)
  ) AS h(seq, at, action, from_status, to_status, actor, note, step, to_step, to_agency, outcome, keep)
 WHERE h.keep;

-- ---- clock segments of pending dossiers ----
INSERT INTO portal.dossier_clock_segments (dossier_id, seq, state, cause, agency_code, step, started_at, ended_at, actor)
SELECT b.id, s.seq, s.state, s.cause, s.agency, s.step, s.started, s.ended, 'staff:bench'
  FROM bench_dossiers b
  CROSS JOIN LATERAL (VALUES
      (0, 'running', 'agency-step', b.unit_code, 0,
       b.submitted_at, CASE WHEN b.status IN (4, 5, 6, 9) THEN b.submitted_at + interval '1 day 2 hours' END, true),
      (1, CASE WHEN b.status = 4 THEN 'running' ELSE 'stopped' END,
       CASE b.status WHEN 4 THEN 'agency-step' WHEN 5 THEN 'supplement-requested' ELSE 'waiting-for-fees' END,
       CASE WHEN b.status = 4 THEN b.holder_code END, CASE WHEN b.status = 4 THEN 1 END,
       b.submitted_at + interval '1 day 2 hours', NULL::timestamptz, b.status IN (4, 5, 6))
  ) AS s(seq, state, cause, agency, step, started, ended, keep)
 WHERE b.status IN (1, 2, 4, 5, 6, 9) AND s.keep;

-- ---- staff: a receiving officer per "receive" unit and at the measured unit, each with an API token ----
INSERT INTO portal.staff_accounts (login, display_name, password_hash, roles, agency_code)
SELECT 'bench' || u.k, 'Cán bộ thử ' || u.k, t.password_hash,
       ARRAY['receiving-officer', 'specialist', 'head-of-division', 'result-officer'], u.code
  FROM bench_units u CROSS JOIN (SELECT password_hash FROM portal.staff_accounts WHERE login = :'template_login') t
 WHERE u.k < :receive_units OR u.k = :units / 2;

INSERT INTO portal.staff_api_tokens (staff_id, name, token_sha256, prefix, created_at)
SELECT s.id, 'benchmark', encode(sha256(convert_to(:'token_prefix' || substr(s.login, 6), 'UTF8')), 'hex'),
       left(:'token_prefix', 9), now()
  FROM portal.staff_accounts s WHERE s.login ~ '^bench[0-9]+$';

COMMIT;
ANALYZE portal.agency, portal.applicants, portal.dossiers, portal.dossier_history, portal.dossier_clock_segments,
        portal.staff_accounts, portal.staff_api_tokens;

SELECT (SELECT count(*) FROM portal.dossiers) AS dossiers,
       (SELECT count(*) FROM portal.dossiers WHERE status IN (1, 2, 4, 5, 6, 7, 9)) AS pending,
       (SELECT count(*) FROM portal.dossiers WHERE status = 1) AS submitted,
       (SELECT count(*) FROM portal.dossiers WHERE status IN (2, 4) AND risk_at <= now()) AS at_risk,
       (SELECT count(*) FROM portal.dossier_history) AS history,
       (SELECT count(*) FROM portal.dossier_clock_segments) AS segments,
       (SELECT count(*) FROM bench_units) AS units;
