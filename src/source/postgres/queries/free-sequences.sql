-- Sequences no column owns or names in its default (an application calling nextval('...') itself).
SELECT c.oid::int8 AS oid
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'S' AND n.nspname = ANY($1::text[])
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_attrdef'::regclass AND d.refobjid = c.oid)
 ORDER BY n.nspname, c.relname
