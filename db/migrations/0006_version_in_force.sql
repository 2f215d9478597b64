-- "The version in force on a day" (R-A3) in one place. Versions cover [effective_from, effective_to).
-- in_force is a one-expression SQL function, which PostgreSQL inlines into the calling query, so it costs nothing
-- and does not hide the predicate from the planner.
CREATE FUNCTION portal.in_force(effective_from date, effective_to date, day date) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT effective_from <= day AND (effective_to IS NULL OR effective_to > day) $$;

-- The version of a procedure in force on a day, by the procedure's public code (NULL when there is none).
CREATE FUNCTION portal.version_in_force(code text, day date) RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
        SELECT v.id
          FROM portal.procedure p
          JOIN portal.procedure_version v ON v.procedure_id = p.id
         WHERE p.code = version_in_force.code AND portal.in_force(v.effective_from, v.effective_to, version_in_force.day)
    $$;
