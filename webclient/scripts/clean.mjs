// Removes build output folders (default: dist). Usage: node scripts/clean.mjs [folder...]
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const targets = process.argv.length > 2 ? process.argv.slice(2) : ['dist'];
for (const t of targets) {
  rmSync(join(root, t), { recursive: true, force: true });
}
