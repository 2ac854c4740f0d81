-- Columns of the given tables, with the sequence behind a serial, identity or nextval() default.
SELECT a.attrelid::int8 AS table_oid,
       a.attnum AS position,
       a.attname AS name,
       a.atttypid::int8 AS type_oid,
       a.atttypmod AS typmod,
       a.attndims AS dims,
       format_type(a.atttypid, a.atttypmod) AS type_text,
       a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       col_description(a.attrelid, a.attnum) AS comment,
       -- An owned sequence (serial, identity), or else the one a nextval() default names.
       coalesce(pg_get_serial_sequence(a.attrelid::regclass::text, a.attname)::regclass::oid,
                (SELECT dep.refobjid
                   FROM pg_depend dep
                   JOIN pg_class seq ON seq.oid = dep.refobjid AND seq.relkind = 'S'
                  WHERE dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid
                    AND dep.refclassid = 'pg_class'::regclass
                  LIMIT 1))::int8 AS sequence_oid
  FROM pg_attribute a
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attrelid = ANY($1::oid[])
   AND a.attnum > 0
   AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum
