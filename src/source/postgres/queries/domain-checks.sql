-- CHECK constraints of domains.
SELECT c.contypid::int8 AS type_oid, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
  FROM pg_constraint c
 WHERE c.contypid = ANY($1::oid[]) AND c.contype = 'c'
 ORDER BY c.contypid, c.conname
