-- The source server and the snapshot's time.
SELECT current_setting('server_version') AS server_version,
       current_setting('server_version_num')::int AS server_version_num,
       current_database() AS database,
       current_setting('TimeZone') AS time_zone,
       pg_encoding_to_char(d.encoding) AS encoding,
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS snapshot_time,
       scale('0'::money::numeric) AS money_scale,
       current_setting('lc_ctype') AS ctype
  FROM pg_database d
 WHERE d.datname = current_database()
