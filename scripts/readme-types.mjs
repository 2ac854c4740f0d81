// Rewrites the type-mapping table in README.md from the code's type rules (npm run readme-types).
import { readFileSync, writeFileSync } from 'node:fs';
import { typeMappingMarkdown } from '../dist/src/mapping/type-table.js';
const readme = readFileSync('README.md', 'utf8');
const next = readme.replace(/<!-- type-table:start -->\n[\s\S]*?\n<!-- type-table:end -->/, () => `<!-- type-table:start -->\n${typeMappingMarkdown()}\n<!-- type-table:end -->`);
writeFileSync('README.md', next);
