// Runs the compiled specs (*.test.js under a folder, default build/spec) with Node's test
// runner. The files are named one by one: Node 18 and 20 search a folder given to --test, but
// Node 22 and later take only files and glob patterns (and glob patterns only from Node 21).
// Usage: node scripts/run-tests.mjs [folder]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const folder = process.argv[2] ?? 'build/spec';
const files = existsSync(folder)
  ? readdirSync(folder).filter((name) => name.endsWith('.test.js')).sort().map((name) => join(folder, name))
  : [];
if (files.length === 0) {
  console.error(`run-tests: no *.test.js files in "${folder}"`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--test', ...files], { stdio: 'inherit' });
if (result.error) console.error(`run-tests: ${result.error.message}`);
process.exit(result.status ?? 1);
