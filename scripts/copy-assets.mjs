// Copies the catalog's .sql files next to the compiled code, which reads them at run time.
import { cpSync, mkdirSync } from 'node:fs';
mkdirSync('dist/src/catalog/queries', { recursive: true });
cpSync('src/catalog/queries', 'dist/src/catalog/queries', { recursive: true });
