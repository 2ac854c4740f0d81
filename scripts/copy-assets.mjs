// Copies the catalog's .sql files next to the compiled code, which reads them at run time.
import { cpSync, mkdirSync } from 'node:fs';
mkdirSync('dist/src/source/postgres/queries', { recursive: true });
cpSync('src/source/postgres/queries', 'dist/src/source/postgres/queries', { recursive: true });
