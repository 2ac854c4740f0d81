-- Primary keys, unique, foreign key, check and exclusion constraints declared on the given tables
-- (not the copies PostgreSQL makes on each partition).
SELECT c.conrelid::int8 AS table_oid,
       c.conname AS name,
       c.contype::text AS type,
       c.conkey::int2[] AS columns,
       c.confrelid::int8 AS ref_table_oid,
       c.confkey::int2[] AS ref_columns,
       c.confupdtype::text AS on_update,
       c.confdeltype::text AS on_delete,
       c.confmatchtype::text AS match_type,
       c.condeferrable AS deferrable,
       c.condeferred AS deferred,
       c.convalidated AS validated,
       pg_get_constraintdef(c.oid) AS definition
  FROM pg_constraint c
 WHERE c.conrelid = ANY($1::oid[])
   AND c.conparentid = 0
   AND c.contype IN ('p', 'u', 'f', 'c', 'x')
 ORDER BY c.conrelid, c.conname
