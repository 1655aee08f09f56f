// A minimal static file server for pages that a host does not serve itself.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.map': 'application/json; charset=utf-8' };

/** Serves files from `roots` (searched in order) on 127.0.0.1; resolves to { url, close() }. */
export function serveStatic(roots) {
  const server = createServer(async (request, response) => {
    let path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const relative = normalize(path).replace(/^(\.\.[/\\])+/, '');
    for (const root of roots) {
      try {
        const body = await readFile(join(root, relative));
        response.writeHead(200, { 'content-type': types[extname(relative)] ?? 'application/octet-stream' });
        response.end(body);
        return;
      } catch {
        // try the next root
      }
    }
    response.writeHead(404).end();
  });
  return new Promise((resolveServer) => {
    server.listen(0, '127.0.0.1', () => resolveServer({
      url: `http://127.0.0.1:${server.address().port}/`,
      close: () => new Promise((r) => server.close(r)),
    }));
  });
}
