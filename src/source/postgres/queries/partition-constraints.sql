-- Foreign keys and checks that leaf partitions of a partitioned table declare themselves (pg_dump's output
-- of older schemas, Pagila's payment), not those a parent's constraint put there, with how many of the
-- leaves declare each: on every leaf they constrain the whole table and are carried as the table's own.
-- Columns by name (a partition may order them apart); the name is the first leaf's, its table name replaced
-- by the parent's.
WITH leaves AS (
  SELECT p.oid AS parent, p.relname AS parent_name, pt.relid::oid AS leaf, l.relname AS leaf_name,
         count(*) OVER (PARTITION BY p.oid) AS leaf_count
    FROM pg_class p, pg_partition_tree(p.oid) pt JOIN pg_class l ON l.oid = pt.relid
   WHERE p.oid = ANY($1::oid[]) AND p.relkind = 'p' AND pt.isleaf
)
SELECT l.parent::int8 AS table_oid,
       c.contype::text AS type,
       min(replace(c.conname, l.leaf_name, l.parent_name)) AS name,
       ARRAY(SELECT a.attname::text FROM unnest(min(c.conkey::text)::int2[]) WITH ORDINALITY k(n, i)
               JOIN pg_attribute a ON a.attrelid = min(l.leaf::text)::oid AND a.attnum = k.n ORDER BY k.i) AS columns,
       c.confrelid::int8 AS ref_table_oid,
       ARRAY(SELECT a.attname::text FROM unnest(min(c.confkey::text)::int2[]) WITH ORDINALITY k(n, i)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS ref_columns,
       c.confupdtype::text AS on_update,
       c.confdeltype::text AS on_delete,
       c.confmatchtype::text AS match_type,
       c.condeferrable AS deferrable,
       pg_get_constraintdef(min(c.oid::text)::oid) AS definition,
       count(DISTINCT l.leaf)::int AS on_leaves,
       l.leaf_count::int AS leaves
  FROM leaves l
  JOIN pg_constraint c ON c.conrelid = l.leaf AND c.conparentid = 0 AND c.contype IN ('f', 'c') AND c.convalidated
 GROUP BY l.parent, l.leaf_count, c.contype, c.confrelid, c.confupdtype, c.confdeltype, c.confmatchtype, c.condeferrable,
          pg_get_constraintdef(c.oid)
 ORDER BY 1, 3
