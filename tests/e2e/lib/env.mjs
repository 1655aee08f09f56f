// Paths handed over by CMake (tests/e2e/CMakeLists.txt), with checks that say what is missing.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = resolve(here, '../../..');

function required(name, fallback) {
  const value = process.env[name] || fallback;
  if (!value || !existsSync(value)) {
    throw new Error(`${name} must name an existing file or directory (got ${JSON.stringify(value ?? '')}). ` +
      'Run the tests through ctest, which sets it, or set it yourself.');
  }
  return value;
}

export const env = {
  /** The test host (tests/e2e/e2e_host.cpp). */
  get e2eHost() { return required('OBJECTSYNC_E2E_HOST'); },
  /** objectsync-host, if this build has it. */
  get realHost() { return process.env.OBJECTSYNC_HOST || ''; },
  get pluginDir() { return process.env.OBJECTSYNC_PLUGIN_DIR || ''; },
  /** The web client as ES modules (webclient/dist/esm/index.js). */
  get webclientEsm() {
    return required('OBJECTSYNC_WEBCLIENT_ESM', resolve(sourceDir, 'webclient/dist/esm/index.js'));
  },
  /** The directory holding objectsync-client.js. */
  get webclientDir() { return required('OBJECTSYNC_WEBCLIENT_DIR'); },
  /** The demo pages (resources/web). */
  get webPages() { return required('OBJECTSYNC_WEB_PAGES', resolve(sourceDir, 'resources/web')); },
  get chromium() { return process.env.CHROMIUM || '/usr/bin/chromium'; },
};
