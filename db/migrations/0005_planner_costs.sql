-- The catalogue is small and always in memory, so a random page read costs about what a sequential one does. With the
-- default (4.0) PostgreSQL seq-scans procedure_version for common words and reads every row's TOASTed search_vector;
-- at 1.1 it uses the GIN indexes (measured: 12 ms -> 4.4 ms for "dang ky" on 2,260 procedures, docs/PERFORMANCE.md).
-- Applies to new sessions of this database only.
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET random_page_cost = 1.1', current_database());
END
$$;
