// The index server, run as its own process so that tests may block on
// spawnSync (nx, pip) while it answers. Config: one JSON argument
// {wheels:[{name,file,path,sha256}], host, port, credentials?, log}.
// Prints {"port":N} once listening; appends one JSON line per request to `log`.
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const config = JSON.parse(process.argv[2]);
const normalise = (name) => name.toLowerCase().replace(/[-_.]+/g, '-');
const byProject = new Map();
for (const wheel of config.wheels) {
  const key = normalise(wheel.name);
  byProject.set(key, [...(byProject.get(key) ?? []), wheel]);
}
const page = (links) => `<!DOCTYPE html><html><body>\n${links.join('\n')}\n</body></html>\n`;

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://index').pathname);
  const auth = req.headers.authorization;
  const [user, password] = auth?.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(/:(.*)/s) : [];
  const reply = (status, body, type = 'text/html', headers = {}) => {
    appendFileSync(config.log, `${JSON.stringify({ method: req.method, path, user, status })}\n`);
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };
  const wanted = config.credentials;
  if (wanted && (user !== wanted.user || password !== wanted.password)) {
    return reply(401, 'unauthorised\n', 'text/plain', { 'WWW-Authenticate': 'Basic realm="lava-test-index"' });
  }
  if (path === '/simple/' || path === '/simple') {
    return reply(200, page([...byProject.keys()].sort().map((p) => `<a href="/simple/${p}/">${p}</a>`)));
  }
  const project = /^\/simple\/([^/]+)\/?$/.exec(path);
  if (project) {
    const wheels = byProject.get(normalise(project[1]));
    if (!wheels) return reply(404, 'no such project\n', 'text/plain');
    return reply(200, page(wheels.map((w) => `<a href="/files/${w.file}#sha256=${w.sha256}">${w.file}</a>`)));
  }
  const file = /^\/files\/([^/]+)$/.exec(path);
  const wheel = file && config.wheels.find((w) => w.file === file[1]);
  // As PyPI serves files: forever fresh, so an installer's cache keeps them without asking again.
  if (wheel) return reply(200, readFileSync(wheel.path), 'application/octet-stream', { 'Cache-Control': 'max-age=365000000, immutable, public' });
  return reply(404, 'not found\n', 'text/plain');
});
server.listen(config.port ?? 0, config.host ?? '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
