-- ×10: nine more copies of every procedure (code suffix .B1–.B9) with their versions and lines, for load tests.
CREATE TEMP TABLE copy_map AS
SELECT p.id AS old_id, gen_random_uuid() AS new_id, p.code || '.B' || k AS code, p.national_code, k
  FROM portal.procedure p CROSS JOIN generate_series(1, 9) AS k;
INSERT INTO portal.procedure (id, code, national_code) SELECT new_id, code, national_code FROM copy_map;
CREATE TEMP TABLE version_map AS
SELECT v.id AS old_id, gen_random_uuid() AS new_id, m.new_id AS procedure_id
  FROM portal.procedure_version v JOIN copy_map m ON m.old_id = v.procedure_id;
INSERT INTO portal.procedure_version (id, procedure_id, name, agency_id, field_id, level, channels, online_level, legacy_level,
       subjects, result_type, legal_basis, steps_md, requirements_md, description_md, decision_number, decision_date,
       effective_from, effective_to)
SELECT vm.new_id, vm.procedure_id, v.name, v.agency_id, v.field_id, v.level, v.channels, v.online_level, v.legacy_level,
       v.subjects, v.result_type, v.legal_basis, v.steps_md, v.requirements_md, v.description_md, v.decision_number,
       v.decision_date, v.effective_from, v.effective_to
  FROM portal.procedure_version v JOIN version_map vm ON vm.old_id = v.id;
INSERT INTO portal.procedure_processing_time SELECT vm.new_id, t.channel, t.amount, t.unit, t.note
  FROM portal.procedure_processing_time t JOIN version_map vm ON vm.old_id = t.version_id;
INSERT INTO portal.procedure_fee SELECT vm.new_id, f.line_no, f.description, f.amount_vnd
  FROM portal.procedure_fee f JOIN version_map vm ON vm.old_id = f.version_id;
INSERT INTO portal.procedure_document SELECT vm.new_id, d.line_no, d.name, d.originals, d.copies, d.required, d.template_file, d.must_be_signed
  FROM portal.procedure_document d JOIN version_map vm ON vm.old_id = d.version_id;
ANALYZE;
