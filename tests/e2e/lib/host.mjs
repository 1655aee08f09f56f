// Starting and stopping host processes for the tests.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Runs `command args` and waits until a line of its output matches `readyPattern` (whose
 * first group, if any, is the port). Rejects with the output so far if the process exits or
 * `timeoutMs` passes first. The result has `port`, `output()` and `stop(signal)`.
 */
export function startProcess(command, args, { readyPattern, timeoutMs = 20000, env = {} } = {}) {
  const child = spawn(command, args, {
    env: { ...process.env, QT_QPA_PLATFORM: 'offscreen', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));

  const ready = new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not start within ${timeoutMs} ms. Output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      const match = readyPattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveReady(match[1] ? Number(match[1]) : undefined);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (code ${code}, signal ${signal}) before it was ready. Output:\n${output}`));
    });
  });

  return ready.then((port) => ({
    port,
    process: child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  }));
}

/** The test host of tests/e2e on `port` (0: any). */
export async function startE2eHost(executable, { port = 0, text } = {}) {
  const args = ['--port', String(port)];
  if (text !== undefined) args.push('--text', text);
  const host = await startProcess(executable, args, { readyPattern: /listening on http:\/\/127\.0\.0\.1:(\d+)\// });
  return { ...host, url: `http://127.0.0.1:${host.port}/` };
}

/**
 * objectsync-host with the plugins of `pluginDir` and a scene (default: the dom plugin's),
 * headless, on `port` (0: any). With `tls` ({ cert, key } file paths) it serves https:// and wss://.
 * `extraArgs` are added to its command line; with `webRoot` (a directory) it serves the pages
 * found there before its built-in ones (OBJECTSYNC_WEB_ROOT).
 */
export async function startRealHost(executable, pluginDir,
  { port = 0, tls, scene = 'dom', extraArgs = [], webRoot } = {}) {
  const args = ['--headless', '--port', String(port), '--no-default-plugins', '--plugin-dir', pluginDir,
    '--scene', scene, '--no-workspace', ...extraArgs];
  if (tls) args.push('--tls-cert', tls.cert, '--tls-key', tls.key);
  const host = await startProcess(executable, args, {
    readyPattern: /listening on wss?:\/\/[^:/]+:(\d+)\//,
    env: webRoot ? { OBJECTSYNC_WEB_ROOT: webRoot } : {},
  });
  const [http, ws] = tls ? ['https', 'wss'] : ['http', 'ws'];
  return { ...host, url: `${http}://127.0.0.1:${host.port}/`, wsUrl: `${ws}://127.0.0.1:${host.port}/` };
}

/**
 * A self-signed certificate for 127.0.0.1 made with openssl in a new temporary folder:
 * { cert, key, dir }. Fails with a clear message when openssl is missing.
 */
export function makeCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'objectsync-tls-'));
  const cert = join(dir, 'host.crt');
  const key = join(dir, 'host.key');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
      '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`openssl is needed to make a test certificate (apt-get install -y openssl): ${error.message}`);
  }
  return { cert, key, dir };
}
