-- Ordinary and partitioned tables of the requested schemas. A partition is not listed on its own: its rows
-- are read through its partitioned parent, which is dumped as one table.
SELECT c.oid::int8 AS oid,
       n.nspname AS schema,
       c.relname AS name,
       c.relkind::text AS kind,
       -- pg_partition_tree() lists nothing for an ordinary table: only a partitioned one sums its tree.
       CASE WHEN c.relkind = 'p'
            THEN (SELECT coalesce(sum(greatest(pc.reltuples, 0)), 0)::float8
                    FROM pg_partition_tree(c.oid) pt JOIN pg_class pc ON pc.oid = pt.relid)
            ELSE greatest(c.reltuples, 0)::float8 END AS estimated_rows,
       CASE WHEN c.relkind = 'p'
            THEN (SELECT coalesce(sum(pg_table_size(pt.relid)), 0)::int8 FROM pg_partition_tree(c.oid) pt)
            ELSE pg_table_size(c.oid) END AS estimated_bytes,
       obj_description(c.oid, 'pg_class') AS comment
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND NOT c.relispartition
   AND n.nspname = ANY($1::text[])
 ORDER BY n.nspname, c.relname
