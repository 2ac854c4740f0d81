-- Ordinary and partitioned tables of the requested schemas. A partition is not listed on its own: its rows
-- are read through its partitioned parent, which is dumped as one table. A table that belongs to an extension
-- (PostGIS's spatial_ref_sys) is the extension's, not the user's: pg_dump leaves it out, and so does pgmy.
SELECT c.oid::int8 AS oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS kind,
       -- A partitioned table's rows are its leaves' (ANALYZE also counts them into the parent: not twice).
       -- -1: never analysed (some leaf, for a partitioned table), so unknown.
       CASE WHEN c.relkind = 'p'
            THEN (SELECT CASE WHEN bool_or(pc.reltuples < 0) THEN -1 ELSE coalesce(sum(pc.reltuples), 0) END::float8
                    FROM pg_partition_tree(c.oid) pt JOIN pg_class pc ON pc.oid = pt.relid WHERE pt.isleaf)
            ELSE c.reltuples::float8 END AS estimated_rows,
       -- The main forks of the table and of its TOAST table: what COPY reads. pg_table_size also opens the
       -- free-space and visibility maps of both (a few pages): twice the file opens, 100 ms for 800 tables.
       CASE WHEN c.relkind = 'p'
            THEN (SELECT coalesce(sum(pg_relation_size(pc.oid) + CASE WHEN pc.reltoastrelid = 0 THEN 0 ELSE pg_relation_size(pc.reltoastrelid) END), 0)::int8
                    FROM pg_partition_tree(c.oid) pt JOIN pg_class pc ON pc.oid = pt.relid WHERE pt.isleaf)
            ELSE pg_relation_size(c.oid) + CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE pg_relation_size(c.reltoastrelid) END END AS estimated_bytes,
       obj_description(c.oid, 'pg_class') AS comment,
       -- Table inheritance (not partitions): the parents it inherits from and the children that inherit it.
       ARRAY(SELECT pn.nspname || '.' || p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
               JOIN pg_namespace pn ON pn.oid = p.relnamespace
              WHERE i.inhrelid = c.oid AND NOT c.relispartition ORDER BY i.inhseqno) AS inherits,
       ARRAY(SELECT kn.nspname || '.' || k.relname FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid
               JOIN pg_namespace kn ON kn.oid = k.relnamespace
              WHERE i.inhparent = c.oid AND NOT k.relispartition ORDER BY 1) AS children
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND NOT c.relispartition
   AND n.nspname = ANY($1::text[])
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY n.nspname, c.relname
