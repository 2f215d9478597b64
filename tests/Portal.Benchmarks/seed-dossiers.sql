-- Seeds submitted dossiers for tests/Portal.Benchmarks/dossier-pages.sh (docs/PERFORMANCE.md, citizen dossiers).
-- Variables: template (id of a dossier submitted through the API: its answers and stored file are copied),
--            dossiers (e.g. 100000), applicants (e.g. 10000), known (e.g. 100: applicants cd1…cd<known>@example.com
--            who can sign in, with the template applicant's password hash copied).
-- Each dossier: status 1 with a code of the R-C3 shape, one history row ('submit'), one running clock segment (as
-- Dossiers.SubmitAsync writes them), and one file per document line for up to three lines of its version. Dossiers are
-- spread over every procedure version offered online today that has a processing time and documents, and over the
-- last 365 days; applicant k owns dossiers k, k + applicants, k + 2 × applicants, …
\set ON_ERROR_STOP on
BEGIN;

CREATE TEMP TABLE bench_versions AS
SELECT (row_number() OVER (ORDER BY p.code) - 1)::int AS k, p.id AS procedure_id, v.id AS version_id, v.agency_id, a.code AS agency_code,
       (SELECT array_agg(d.line_no ORDER BY d.line_no) FROM portal.procedure_document d WHERE d.version_id = v.id) AS lines
  FROM portal.procedure p
  JOIN portal.procedure_version v ON v.procedure_id = p.id
  JOIN portal.agency a ON a.id = v.agency_id
 WHERE v.online_level <> 'none' AND v.effective_from <= current_date AND (v.effective_to IS NULL OR v.effective_to > current_date)
   AND EXISTS (SELECT 1 FROM portal.procedure_processing_time t WHERE t.version_id = v.id AND t.channel IN ('online', 'direct'))
   AND EXISTS (SELECT 1 FROM portal.procedure_document d WHERE d.version_id = v.id)
   -- DossierCode.LooksValid refuses unit codes with a hyphen (the demo's '000.00.00.H99-XA'): see PERFORMANCE.md.
   AND a.code ~ '^[0-9A-Za-z.]+$';

CREATE TEMP TABLE bench_template AS
SELECT d.answers, d.applicant_id, a.password_hash, f.sha256, f.size
  FROM portal.dossiers d
  JOIN portal.applicants a ON a.id = d.applicant_id
  JOIN LATERAL (SELECT sha256, size FROM portal.dossier_files WHERE dossier_id = d.id LIMIT 1) f ON true
 WHERE d.id = :'template' AND d.status = 1;

INSERT INTO portal.applicants (id, kind, full_name, birth_date, id_number, address, email, phone, password_hash, created_at)
SELECT md5('bench-applicant-' || i)::uuid, 'individual', 'Công dân thử ' || i, date '1960-01-01' + i % 15000,
       '09' || lpad(i::text, 10, '0'), 'Số ' || i || ' đường Lê Lợi, phường Bến Thành', 'cd' || i || '@example.com',
       '09' || lpad(i::text, 8, '0'), CASE WHEN i <= :known THEN (SELECT password_hash FROM bench_template) END,
       now() - interval '400 days'
  FROM generate_series(1, :applicants) i;

INSERT INTO portal.applicant_logins (provider, key, applicant_id, created_at)
SELECT 'email', 'cd' || i || '@example.com', md5('bench-applicant-' || i)::uuid, now() - interval '400 days'
  FROM generate_series(1, :known) i;

CREATE TEMP TABLE bench_dossiers AS
SELECT md5('bench-dossier-' || i)::uuid AS id, md5('bench-applicant-' || (1 + (i - 1) % :applicants))::uuid AS applicant_id,
       1 + (i - 1) % :applicants AS owner_no, v.procedure_id, v.version_id, v.agency_id, v.agency_code, v.lines,
       day, ((day + time '07:30') + (i % 540) * interval '1 minute') AT TIME ZONE 'Asia/Ho_Chi_Minh' AS submitted_at,
       v.agency_code || '-' || to_char(day, 'YYMMDD') || '-' || lpad(((i - 1) / 365 + 1)::text, 4, '0') AS code
  FROM generate_series(1, :dossiers) i
  CROSS JOIN LATERAL (SELECT current_date - (i - 1) % 365 AS day) dd
  JOIN bench_versions v ON v.k = i % (SELECT count(*) FROM bench_versions);

INSERT INTO portal.dossiers (id, applicant_id, procedure_id, version_id, receiving_agency_id, status, sub_state, code, channel,
                             answers, current_step, row_version, applicant_name, lookup_phone, lookup_id_number, delivery_method,
                             created_at, updated_at, submitted_at, due_at)
SELECT b.id, b.applicant_id, b.procedure_id, b.version_id, b.agency_id, 1, '1.online', b.code, 'online',
       t.answers, 'kiem-tra', 3, 'Công dân thử ' || b.owner_no, '09' || lpad(b.owner_no::text, 8, '0'),
       '09' || lpad(b.owner_no::text, 10, '0'), 'online',
       b.submitted_at - interval '1 hour', b.submitted_at, b.submitted_at, b.submitted_at + interval '14 days'
  FROM bench_dossiers b CROSS JOIN bench_template t;

INSERT INTO portal.dossier_history (dossier_id, seq, at, action, from_status, to_status, actor, agency_code, note)
SELECT id, 1, submitted_at, 'submit', 0, 1, 'applicant:' || applicant_id, agency_code, 'Nộp trực tuyến trên cổng dịch vụ công'
  FROM bench_dossiers;

INSERT INTO portal.dossier_clock_segments (dossier_id, seq, state, cause, agency_code, step, started_at, ended_at, actor)
SELECT id, 0, 'running', 'agency-step', agency_code, 0, submitted_at, NULL, 'applicant:' || applicant_id
  FROM bench_dossiers;

INSERT INTO portal.dossier_files (dossier_id, line_no, file_name, sha256, size, media_type, uploaded_at, uploaded_by)
SELECT b.id, l.line_no, 'giay-to-' || l.line_no || '.jpg', t.sha256, t.size, 'image/jpeg', b.submitted_at - interval '30 minutes',
       'applicant:' || b.applicant_id
  FROM bench_dossiers b
  CROSS JOIN bench_template t
  CROSS JOIN LATERAL unnest(b.lines[1:3]) AS l(line_no);

COMMIT;
VACUUM ANALYZE portal.applicants, portal.applicant_logins, portal.dossiers, portal.dossier_history,
               portal.dossier_clock_segments, portal.dossier_files;

SELECT (SELECT count(*) FROM bench_versions) AS versions, (SELECT count(*) FROM portal.dossiers WHERE status = 1) AS dossiers,
       (SELECT count(*) FROM portal.dossier_files) AS files, (SELECT count(*) FROM portal.applicants) AS applicants;
