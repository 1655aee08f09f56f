/** The source checks run by `npm test`: import cycles and file length (scripts/). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Compiled to build/spec/, so the scripts are two folders up.
const scripts = fileURLToPath(new URL('../../scripts/', import.meta.url));

function run(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(scripts, script), ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A folder with the given files (name -> content), removed after `fn`. */
function withFiles(files: Record<string, string>, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'objectsync-checks-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the import check passes on imports without a cycle', () => {
  withFiles({
    'a.ts': "import { b } from './b.js';\nimport { c } from './c.js';\nexport const a = b + c;\n",
    'b.ts': "import { c } from './c.js';\nexport const b = c;\n",
    'c.ts': "// import { a } from './a.js';  (a comment, not an import)\nexport const c = 'import { a } from \"./a.js\"';\n",
  }, (dir) => {
    const r = run('check-import-cycles.mjs', dir);
    assert.equal(r.status, 0, r.stderr);
  });
});

test('the import check fails on a cycle made by a type-only import and names its files', () => {
  withFiles({
    'client.ts': "import { SObject } from './sobject.js';\nexport class Client { o?: SObject; }\n",
    'sobject.ts': "import type { Client } from './client.js';\nexport class SObject { c?: Client; }\n",
  }, (dir) => {
    const r = run('check-import-cycles.mjs', dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /client\.ts -> sobject\.ts -> client\.ts/);
  });
});

test('the import check finds a longer cycle through a re-export and a subfolder', () => {
  withFiles({
    'a.ts': "export { b } from './b.js';\n",
    'b.ts': "import { c } from './inner/c.js';\nexport const b = c;\n",
    'inner/c.ts': "import {\n  a,\n} from '../a.js';\nexport const c = a;\n",
  }, (dir) => {
    const r = run('check-import-cycles.mjs', dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /a\.ts -> b\.ts -> inner\/c\.ts -> a\.ts/);
  });
});

test('the import check fails when the folder has no sources', () => {
  withFiles({ 'notes.txt': 'nothing to check' }, (dir) => {
    assert.notEqual(run('check-import-cycles.mjs', dir).status, 0);
  });
  assert.notEqual(run('check-import-cycles.mjs', join(tmpdir(), 'objectsync-checks-missing')).status, 0);
});

test('the length check accepts a file at the limit and rejects one a line over it', () => {
  const lines = (n: number): string => 'const x = 1;\n'.repeat(n);
  withFiles({ 'short.ts': lines(600), 'last.ts': lines(599) + 'const y = 2;' }, (dir) => {
    const r = run('check-file-length.mjs', dir, '600');
    assert.equal(r.status, 0, r.stderr);
  });
  withFiles({ 'short.ts': lines(10), 'long.ts': lines(601) }, (dir) => {
    const r = run('check-file-length.mjs', dir, '600');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /long\.ts has 601 lines, more than 600/);
    assert.doesNotMatch(r.stderr, /short\.ts/);
  });
});
