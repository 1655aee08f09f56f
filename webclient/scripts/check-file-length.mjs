// Fails (exit code 1) when a file under a folder has more lines than the limit: a source file
// that long usually does more than one job and should be split along them.
// Usage: node scripts/check-file-length.mjs [folder] [max lines]   (default: src 600)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, normalize, relative } from 'node:path';

const folder = process.argv[2] ?? 'src';
const limit = Number(process.argv[3] ?? 600);
if (!Number.isInteger(limit) || limit <= 0) {
  console.error(`check-file-length: the limit must be a positive number of lines, not "${process.argv[3]}"`);
  process.exit(2);
}
if (!existsSync(folder) || !statSync(folder).isDirectory()) {
  console.error(`check-file-length: no folder "${folder}"`);
  process.exit(2);
}

const files = readdirSync(folder, { recursive: true })
  .map((name) => normalize(join(folder, String(name))))
  .filter((path) => statSync(path).isFile())
  .sort();
if (files.length === 0) {
  console.error(`check-file-length: no files under "${folder}"`);
  process.exit(2);
}

// Counted like `wc -l` for a file that ends with a newline; a last line without one counts too.
function lineCount(path) {
  const text = readFileSync(path, 'utf8');
  if (text === '') return 0;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}

const counts = files.map((path) => ({ path, lines: lineCount(path) }));
const tooLong = counts.filter((c) => c.lines > limit);
if (tooLong.length > 0) {
  for (const c of tooLong) {
    console.error(`check-file-length: ${c.path} has ${c.lines} lines, more than ${limit}; split it along its jobs`);
  }
  process.exit(1);
}
const longest = counts.reduce((a, b) => (b.lines > a.lines ? b : a));
console.log(`check-file-length: ${files.length} files in ${folder}/ within ${limit} lines (longest: ${relative(folder, longest.path)}, ${longest.lines})`);
