-- Which of the requested schemas exist (a name that matches none is the user's typo, not an empty schema).
SELECT n.nspname AS name
  FROM pg_catalog.pg_namespace n
 WHERE n.nspname = ANY ($1::text[]);
