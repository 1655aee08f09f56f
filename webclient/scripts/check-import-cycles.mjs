// Fails (exit code 1) when TypeScript files under a folder import each other in a cycle.
// Type-only imports and re-exports count too: even a type-only cycle ties two files' jobs
// together, and a cycle of value imports makes the modules' load order matter.
// Usage: node scripts/check-import-cycles.mjs [folder]   (default: src)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

const folder = process.argv[2] ?? 'src';
if (!existsSync(folder) || !statSync(folder).isDirectory()) {
  console.error(`check-import-cycles: no folder "${folder}"`);
  process.exit(2);
}

const files = readdirSync(folder, { recursive: true })
  .map((name) => normalize(join(folder, String(name))))
  .filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))
  .sort();
if (files.length === 0) {
  console.error(`check-import-cycles: no .ts files under "${folder}"`);
  process.exit(2);
}
const known = new Set(files);

// The sources import each other as './name.js' (NodeNext); the file behind it is name.ts.
function resolve(fromFile, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = normalize(join(dirname(fromFile), specifier)).replace(/\.(js|mjs|ts)$/, '');
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    if (known.has(candidate)) return candidate;
  }
  return null;
}

// The TypeScript scanner finds every import, export-from and import() while skipping comments and strings.
const imports = new Map();
for (const file of files) {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = info.importedFiles.map((f) => resolve(file, f.fileName)).filter((t) => t !== null);
  imports.set(file, [...new Set(targets)]);
}

// Depth-first search; an import of a file still on the path closes a cycle.
const cycles = new Map();
const done = new Set();
const path = [];
const onPath = new Set();
function visit(file) {
  path.push(file);
  onPath.add(file);
  for (const target of imports.get(file)) {
    if (onPath.has(target)) {
      const cycle = path.slice(path.indexOf(target));
      // The same cycle can be reached from any of its files: keep one rotation of it.
      const start = cycle.indexOf([...cycle].sort()[0]);
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      cycles.set(rotated.join(' '), rotated);
    } else if (!done.has(target)) {
      visit(target);
    }
  }
  path.pop();
  onPath.delete(file);
  done.add(file);
}
for (const file of files) if (!done.has(file)) visit(file);

if (cycles.size > 0) {
  const show = (f) => relative(folder, f);
  console.error(`check-import-cycles: import cycles in ${folder}/ (type-only imports count), for example:`);
  for (const cycle of cycles.values()) console.error(`  ${[...cycle, cycle[0]].map(show).join(' -> ')}`);
  console.error('Break a cycle by giving one side an interface that the other implements (as topics.ts does with TopicHost).');
  process.exit(1);
}
console.log(`check-import-cycles: no import cycle among ${files.length} files in ${folder}/`);
