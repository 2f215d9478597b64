-- Search tuning after the first load test (docs/PERFORMANCE.md):
-- 1. name_vector: a small tsvector of the name alone. Ranking "every word in the name" first used to build a tsvector
--    from the name for each matched row, and the name+description vector is large (TOASTed), so reading it per row
--    dominated the query.
-- 2. catalogue_state.version: bumped in the same transaction as any catalogue change. Web nodes cache catalogue reads
--    per version, so every node sees a change on its next request, with no cross-node messaging.
ALTER TABLE portal.procedure_version
    ADD COLUMN name_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, portal.fold(name))) STORED;
CREATE INDEX procedure_version_name_vector ON portal.procedure_version USING gin (name_vector);

CREATE TABLE portal.catalogue_state (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),   -- exactly one row
    version     bigint NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO portal.catalogue_state (version) VALUES (1);
