// The `prepare` script: builds dist/ (`npm run build`). npm runs it after `npm install` or
// `npm ci` in this folder, before `npm pack`, and when another project installs this folder
// (`npm install path/to/webclient`), so the package never needs a manual build first. In a
// fresh checkout, where the build tools are not installed yet, it installs them first from
// package-lock.json (`npm ci --ignore-scripts`, which needs the registry or npm's cache).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

function installed(name) {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

// The npm that runs this script (npm_execpath), so that a second npm on the PATH is not used.
function npm(...args) {
  const cli = process.env.npm_execpath;
  const [command, first] = cli && /^npm(-cli)?\.(c?js)$/.test(basename(cli))
    ? [process.execPath, [cli]]
    : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
  const result = spawnSync(command, [...first, ...args], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`objectsync-client: npm ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

if (!installed('typescript') || !installed('esbuild')) {
  console.log('objectsync-client: installing the build tools first (npm ci --ignore-scripts)');
  npm('ci', '--ignore-scripts', '--no-audit', '--no-fund');
}
npm('run', 'build');
