-- Plain indexes (btree or hash, not unique, not partial) that leaf partitions of a partitioned table have
-- of their own rather than from an index of the parent, by their keys as pg_get_indexdef prints them, with
-- how many of the leaves have each: on every leaf they are carried as the table's index.
WITH leaves AS (
  SELECT p.oid AS parent, p.relname AS parent_name, pt.relid::oid AS leaf, l.relname AS leaf_name,
         count(*) OVER (PARTITION BY p.oid) AS leaf_count
    FROM pg_class p, pg_partition_tree(p.oid) pt JOIN pg_class l ON l.oid = pt.relid
   WHERE p.oid = ANY($1::oid[]) AND p.relkind = 'p' AND pt.isleaf
), own AS (
  SELECT l.parent, l.leaf, l.leaf_count, replace(ic.relname, l.leaf_name, l.parent_name) AS name, am.amname AS method,
         ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k) AS key_defs,
         i.indoption::int2[] AS options
    FROM leaves l
    JOIN pg_index i ON i.indrelid = l.leaf
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
   WHERE NOT i.indisunique AND i.indpred IS NULL AND am.amname IN ('btree', 'hash') AND i.indnatts = i.indnkeyatts
     AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
)
SELECT parent::int8 AS table_oid, min(name) AS name, method, key_defs, options,
       count(DISTINCT leaf)::int AS on_leaves, leaf_count::int AS leaves
  FROM own
 GROUP BY parent, leaf_count, method, key_defs, options
 ORDER BY 1, 2
