// FAKE Oracle Instant Client zips and a FAKE download site for tests: Oracle's
// site cannot be reached here. The zips have the real names and top-directory
// layout (instantclient_<maj>_<min>/); their `sqlplus` is a shell stub that
// prints a version, and every zip carries FAKE_INSTANT_CLIENT.txt.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ZipFile } from 'yazl';

export interface FakeRelease {
  /** `23.8` */
  version: string;
}

const FAKE_NOTE = 'FAKE Oracle Instant Client made by lava build tests; not Oracle software.\n';

export function fakeSqlplusScript(version: string): string {
  return `#!/bin/sh\necho "SQL*Plus: Release ${version}.0.0.0 - Production (FAKE Instant Client for lava tests)"\n`;
}

/** One fake zip, as Oracle names its entries: instantclient_23_8/<file>. */
export async function fakeInstantClientZip(type: string, version: string): Promise<Buffer> {
  const top = `instantclient_${version.replace('.', '_')}/`;
  const mtime = new Date('2025-01-01T00:00:00Z');
  const zip = new ZipFile();
  zip.addEmptyDirectory(top, { mtime });
  zip.addBuffer(Buffer.from(FAKE_NOTE), `${top}FAKE_INSTANT_CLIENT.txt`, { mtime });
  if (type === 'sqlplus') {
    zip.addBuffer(Buffer.from(fakeSqlplusScript(version)), `${top}sqlplus`, { mtime, mode: 0o100755 });
    zip.addBuffer(Buffer.from('-- fake glogin.sql\n'), `${top}glogin.sql`, { mtime });
  } else {
    zip.addBuffer(Buffer.from(`fake ${type} client library ${version}\n`), `${top}libclntsh.so.${version.split('.')[0]}.1`, { mtime });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every remote name oracle:sync asks for, for one version. */
export async function fakeOracleSite(version: string, types = ['basic', 'basiclite', 'sqlplus']): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const type of types) {
    const data = await fakeInstantClientZip(type, version);
    files.set(`instantclient-${type}-linuxx64.zip`, data);
    files.set(`instantclient-${type}-linux-arm64.zip`, Buffer.from(data));
  }
  return files;
}

export interface FakeServedFile {
  data: Buffer;
  modified: Date;
  /** Send only this many bytes of the body, then cut the connection (a broken download). */
  cutAfter?: number;
  /** Send only this many bytes of the body, then hang (a download to kill). */
  stallAfter?: number;
}

export interface FakeDownloadServer {
  url: string;
  files: Map<string, FakeServedFile>;
  /** Every request as "METHOD /name". */
  requests: string[];
  gets(): string[];
  setFiles(files: Map<string, Buffer>, modified: Date): void;
  close(): Promise<void>;
}

/** A FAKE download site on 127.0.0.1: HEAD and GET with Content-Length and Last-Modified. */
export async function startFakeDownloadServer(): Promise<FakeDownloadServer> {
  const files = new Map<string, FakeServedFile>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    requests.push(`${req.method} /${name}`);
    const file = files.get(name);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/zip',
      'content-length': String(file.data.length),
      'last-modified': file.modified.toUTCString(),
    });
    if (req.method === 'HEAD') {
      res.end();
    } else if (file.stallAfter !== undefined) {
      res.write(file.data.subarray(0, file.stallAfter));
    } else if (file.cutAfter !== undefined) {
      res.write(file.data.subarray(0, file.cutAfter), () => res.destroy());
    } else {
      res.end(file.data);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/instantclient/`,
    files,
    requests,
    gets: () => requests.filter((r) => r.startsWith('GET ')),
    setFiles(next, modified) {
      files.clear();
      for (const [name, data] of next) files.set(`instantclient/${name}`, { data, modified });
    },
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
