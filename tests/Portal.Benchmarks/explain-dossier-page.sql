-- The queries behind one request of /ho-so/{code}, in the order the page makes them (copied from
-- CitizenAuth/Applicants, Dossiers.LoadAsync, Dossiers.DueAsync with ClockLedgerStore and CalendarStore, and
-- Dossiers.HistoryAsync). Variables: applicant, code. Used by dossier-pages.sh.
\set ON_ERROR_STOP on
SELECT id AS dossier, version_id AS version FROM portal.dossiers WHERE code = :'code' \gset

\echo -- stamp (Applicants.SecurityStampAsync, every request of a signed-in citizen)
EXPLAIN ANALYZE SELECT security_stamp FROM portal.applicants WHERE id = :'applicant';

\echo -- load (Dossiers.LoadSql)
EXPLAIN ANALYZE
SELECT d.id, d.applicant_id, d.status, d.sub_state, d.code, d.channel, d.version_id, p.code AS procedure_code,
       v.name AS procedure_name, v.online_level, a.code AS agency_code, a.name AS agency_name,
       a.address AS agency_address, a.phone AS agency_phone, d.answers::text AS answers, d.current_step,
       d.row_version, d.created_at, d.updated_at, d.expires_at, d.submitted_at, d.due_at,
       v.max_file_bytes, v.max_dossier_bytes, v.allow_zip
  FROM portal.dossiers d
  JOIN portal.procedure p ON p.id = d.procedure_id
  JOIN portal.procedure_version v ON v.id = d.version_id
  JOIN portal.agency a ON a.id = d.receiving_agency_id
 WHERE d.applicant_id = :'applicant' AND (d.id = '00000000-0000-0000-0000-000000000000' OR d.code = :'code');

\echo -- documents (Dossiers.DocumentsSql, same batch as the load)
EXPLAIN ANALYZE SELECT line_no, name, required, must_be_signed, originals, copies
  FROM portal.procedure_document
 WHERE version_id IN (SELECT d.version_id FROM portal.dossiers d WHERE d.id IN (
         SELECT d.id FROM portal.dossiers d WHERE d.applicant_id = :'applicant' AND (d.id = '00000000-0000-0000-0000-000000000000' OR d.code = :'code')))
 ORDER BY line_no;

\echo -- files (Dossiers.FilesSql, same batch as the load)
EXPLAIN ANALYZE
SELECT f.id, f.line_no, f.file_name, f.sha256, f.size, f.media_type, f.signature_report_id, f.uploaded_at,
       r.indication, r.summary AS signature_summary
  FROM portal.dossier_files f
  LEFT JOIN portal.signature_reports r ON r.id = f.signature_report_id
 WHERE f.dossier_id IN (SELECT d.id FROM portal.dossiers d WHERE d.applicant_id = :'applicant' AND (d.id = '00000000-0000-0000-0000-000000000000' OR d.code = :'code'))
   AND f.removed_at IS NULL
 ORDER BY f.uploaded_at, f.id;

\echo -- clock segments (ClockLedgerStore.SegmentsSql, Dossiers.DueBatchSql)
EXPLAIN ANALYZE SELECT seq, state, cause, agency_code, step, started_at, ended_at
  FROM portal.dossier_clock_segments WHERE dossier_id = :'dossier' ORDER BY seq;

\echo -- processing time (Dossiers.RuleSql, same batch)
EXPLAIN ANALYZE SELECT amount, unit, cut_off FROM portal.procedure_processing_time
 WHERE version_id = :'version' AND channel IN ('online', 'direct')
 ORDER BY channel = 'online' DESC LIMIT 1;

\echo -- extension (ClockLedgerStore.ExtensionSql, same batch)
EXPLAIN ANALYZE SELECT granted_at, new_due, reason, timely FROM portal.dossier_deadline_extensions WHERE dossier_id = :'dossier';

\echo -- calendar version and profile (CalendarStore.LookupSql)
EXPLAIN ANALYZE SELECT (SELECT version FROM portal.calendar_state) AS version,
       (SELECT coalesce(working_time_profile, 'mac-dinh') FROM portal.agency
         WHERE code = (SELECT a.code FROM portal.agency a JOIN portal.dossiers d ON d.receiving_agency_id = a.id WHERE d.id = :'dossier')) AS profile;

\echo -- history (Dossiers.HistorySql)
EXPLAIN ANALYZE
SELECT h.seq, h.at, h.action, h.from_status, h.to_status, h.agency_code, a.name AS agency_name, h.note
  FROM portal.dossier_history h LEFT JOIN portal.agency a ON a.code = h.agency_code
 WHERE h.dossier_id = :'dossier' ORDER BY h.seq;
