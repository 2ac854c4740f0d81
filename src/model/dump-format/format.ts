export const FORMAT = 'pgmy-dump';
/** 2: a column's rule is structured (ColumnRule); version 1 manifests are read and upgraded. */
export const FORMAT_VERSION = 2;
