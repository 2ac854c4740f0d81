-- Every type the columns use, with what a domain is based on and what an array holds, so that a column's
-- type can be resolved to its base type.
WITH RECURSIVE used(oid) AS (
    SELECT DISTINCT atttypid FROM pg_attribute WHERE attrelid = ANY($1::oid[]) AND attnum > 0 AND NOT attisdropped
  UNION
    SELECT v.next
      FROM pg_type t
      JOIN used u ON u.oid = t.oid
     CROSS JOIN LATERAL (VALUES (t.typbasetype), (CASE WHEN t.typlen = -1 THEN t.typelem ELSE 0 END)) v(next)
     WHERE v.next <> 0
)
SELECT t.oid::int8 AS oid,
       n.nspname AS schema,
       t.typname AS name,
       t.typtype::text AS typtype,
       t.typcategory::text AS category,
       t.typbasetype::int8 AS base_oid,
       t.typtypmod AS base_typmod,
       t.typelem::int8 AS elem_oid,
       t.typlen AS len,
       t.typnotnull AS not_null,
       format_type(t.oid, NULL) AS display
  FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE t.oid IN (SELECT oid FROM used)
