-- Labels of the enum types the columns use, in their sort order.
SELECT e.enumtypid::int8 AS type_oid, e.enumlabel AS label
  FROM pg_enum e
 WHERE e.enumtypid = ANY($1::oid[])
 ORDER BY e.enumtypid, e.enumsortorder
