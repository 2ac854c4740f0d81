-- Indexes of the given tables that do not back a primary key, unique or exclusion constraint.
SELECT i.indrelid::int8 AS table_oid,
       ic.relname AS name,
       i.indisunique AS is_unique,
       am.amname AS method,
       i.indkey::int2[] AS keys,
       i.indnkeyatts AS key_count,
       i.indoption::int2[] AS options,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       pg_get_expr(i.indexprs, i.indrelid) AS expressions,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k) AS key_defs,
       pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
 WHERE i.indrelid = ANY($1::oid[])
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                    WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
 ORDER BY i.indrelid, ic.relname
