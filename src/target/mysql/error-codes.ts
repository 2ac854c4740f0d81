/**
 * The MySQL/MariaDB error numbers pgmy acts on, by their server names (mysqld_error.h, errmsg.h), so that no
 * code compares against a bare number.
 */
export const ER = {
  DBACCESS_DENIED_ERROR: 1044,
  ACCESS_DENIED_ERROR: 1045,
  BAD_DB_ERROR: 1049,
  SERVER_SHUTDOWN: 1053,
  NOT_ALLOWED_COMMAND: 1148,
  ERROR_DURING_COMMIT: 1180,
  DUP_ENTRY: 1062,
  NO_SUCH_TABLE: 1146,
  LOCK_WAIT_TIMEOUT: 1205,
  LOCK_DEADLOCK: 1213,
  TABLEACCESS_DENIED_ERROR: 1142,
  SPECIFIC_ACCESS_DENIED_ERROR: 1227,
  ACCESS_DENIED_NO_PASSWORD_ERROR: 1698,
  /** MariaDB: the connection was killed. */
  CONNECTION_KILLED: 1927,
  /** MySQL 8: LOAD DATA LOCAL refused because local_infile is off on the client or server side. */
  CLIENT_LOCAL_FILES_DISABLED: 3948,
  /** Client library: the server closed the connection during a query. */
  CR_SERVER_LOST: 2013,
  /** Client library: LOAD DATA LOCAL INFILE refused by the client's settings. */
  CR_LOAD_DATA_LOCAL_INFILE_REJECTED: 2068,
} as const;

/** The error number of a mysql2 error, if it is one. */
export function errnoOf(err: unknown): number | undefined {
  const errno = (err as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' ? errno : undefined;
}

/** InnoDB rolled the whole transaction back (a deadlock victim, a lock wait timeout): it may simply be run again. */
export function isRetryable(err: unknown): boolean {
  const errno = errnoOf(err);
  return errno === ER.LOCK_DEADLOCK || errno === ER.LOCK_WAIT_TIMEOUT;
}
