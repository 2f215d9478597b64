-- The product's own schema and the extensions catalogue search needs (UX.md §3.3).
-- unaccent, pg_trgm and btree_gist are trusted extensions: the database owner may create them.
CREATE SCHEMA IF NOT EXISTS portal;

CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

-- Folds Vietnamese text for search: "Đăng Ký" -> "dang ky". unaccent() is only STABLE (its dictionary could be
-- changed), so this wrapper names the dictionary explicitly and is declared IMMUTABLE to be usable in indexes and
-- generated columns. unaccent's rules cover đ/Đ and NFD input (combining marks).
CREATE FUNCTION portal.fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
