-- Where each sequence stands. pg_sequence_last_value is NULL when nextval has never been called.
-- (pg_sequence itself is readable by every role.)
SELECT s.seqrelid::int8 AS oid,
       n.nspname AS schema,
       c.relname AS name,
       s.seqstart::text AS start,
       s.seqincrement::text AS increment,
       s.seqmin::text AS min,
       s.seqmax::text AS max,
       s.seqcycle AS cycle,
       s.seqcache::text AS cache,
       -- Where it stands needs SELECT or USAGE on it; without either it is read as unreadable, not as never used.
       has_sequence_privilege(s.seqrelid, 'SELECT, USAGE') AS readable,
       CASE WHEN has_sequence_privilege(s.seqrelid, 'SELECT, USAGE') THEN pg_sequence_last_value(s.seqrelid)::text END AS last_value
  FROM pg_sequence s
  JOIN pg_class c ON c.oid = s.seqrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE s.seqrelid = ANY($1::oid[])
