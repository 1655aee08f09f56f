/**
 * The installable package: `npm pack` builds it (the `prepare` script) from a tree without
 * dist/, and the tarball, or the folder itself, installs offline into a new project where
 * `import 'objectsync-client'` works. Runs npm in temporary folders, with an empty npm cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Compiled to build/spec/, so the package is two folders up.
const packageDir = fileURLToPath(new URL('../../', import.meta.url));

// The npm that runs the tests (npm test), else the one on the PATH.
const npmCli = process.env['npm_execpath'];
const npmCommand: [string, string[]] = npmCli !== undefined && /^npm(-cli)?\.c?js$/.test(basename(npmCli))
  ? [process.execPath, [npmCli]] : ['npm', []];

/** The environment without the settings of the npm that runs the tests (npm_config_*, ...). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8' });
  assert.equal(result.status, 0, `${basename(command)} ${args.join(' ')} in ${cwd} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function npm(cwd: string, ...args: string[]): string {
  return run(npmCommand[0], [...npmCommand[1], ...args], cwd);
}

/** A copy of the package's sources (no dist/) using the installed build tools. */
function copyPackage(to: string): string {
  mkdirSync(to);
  for (const name of ['package.json', 'package-lock.json', 'README.md', 'tsconfig.json', 'tsconfig.base.json', 'src', 'scripts']) {
    cpSync(join(packageDir, name), join(to, name), { recursive: true });
  }
  symlinkSync(join(packageDir, 'node_modules'), join(to, 'node_modules'), 'dir');
  return to;
}

/** A new project holding only a package.json. */
function newProject(dir: string): string {
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: basename(dir), version: '1.0.0', private: true, type: 'module' }));
  return dir;
}

// Imports the installed package and connects a client over a fake socket.
const useIt = `
import { ObjectSyncClient, RequestError, StringTopic } from 'objectsync-client';
const sent = [];
const socket = { send: (d) => sent.push(JSON.parse(d)), close() {} };
const client = new ObjectSyncClient('ws://x', {}, { socketFactory: () => socket, logger: { debug() {}, warn() {}, error() {} } });
socket.onmessage({ data: JSON.stringify({ type: 'hello', args: { id: 1 } }) });
const ok = client.connectionState === 'open' && sent[0].type === 'subscribe'
  && new RequestError('no', 'undo') instanceof Error && typeof StringTopic === 'function';
client.close();
console.log(ok ? 'works' : 'broken');
`;

function checkInstalled(project: string): void {
  const installed = join(project, 'node_modules', 'objectsync-client');
  for (const file of ['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/objectsync-client.js', 'package.json']) {
    assert.ok(existsSync(join(installed, file)), `${file} is installed`);
  }
  writeFileSync(join(project, 'use.mjs'), useIt);
  assert.equal(run(process.execPath, ['use.mjs'], project).trim(), 'works');
}

test('npm pack builds the package, and its tarball installs offline and imports', () => {
  const work = mkdtempSync(join(tmpdir(), 'objectsync-pack-'));
  try {
    const source = copyPackage(join(work, 'source'));
    const out = join(work, 'out');
    mkdirSync(out);
    npm(source, 'pack', '--pack-destination', out, '--cache', join(work, 'cache'));
    const tarballs = readdirSync(out).filter((name) => name.endsWith('.tgz'));
    assert.equal(tarballs.length, 1, `one tarball in ${out}`);
    const listing = run('tar', ['-tzf', join(out, tarballs[0]!)], work).split('\n');
    assert.ok(listing.includes('package/dist/esm/index.js'), 'the tarball holds the ES modules');
    assert.ok(listing.includes('package/dist/objectsync-client.js'), 'the tarball holds the bundle');
    assert.ok(!listing.some((f) => f.startsWith('package/spec/') || f.startsWith('package/node_modules/')));

    const app = newProject(join(work, 'app'));
    npm(app, 'install', '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'cache'), join(out, tarballs[0]!));
    checkInstalled(app);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('npm install of the package folder, never built, works offline', () => {
  const work = mkdtempSync(join(tmpdir(), 'objectsync-folder-'));
  try {
    const source = copyPackage(join(work, 'source'));
    assert.ok(!existsSync(join(source, 'dist')));
    const app = newProject(join(work, 'app'));
    npm(app, 'install', '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'cache'), source);
    checkInstalled(app);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
