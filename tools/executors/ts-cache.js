// Loads the plugin's TypeScript sources without a build step, fast: each `.ts` file under
// tools/executors/src is compiled once by swc to CommonJS and the result kept on disk under
// .nx/workspace-data/lava-ts, keyed by the source's bytes, swc's version and the options below.
// A later load reads the compiled file (no swc binding loaded at all); an edited source gets a
// new key, so nothing is ever stale and no manual build is needed on a fresh clone.
// Nx's own loader (@swc-node/register) compiles every file on every load: the cost of the
// project graph's plugins on each `nx` command.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const SRC = path.join(__dirname, 'src') + path.sep;
const CACHE = path.join(ROOT, '.nx', 'workspace-data', 'lava-ts');
const OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true },
  module: { type: 'commonjs', strictMode: true, noInterop: false, importInterop: 'swc' },
  sourceMaps: 'inline',
};

let swc;
let swcVersion;
function swcCore() {
  if (!swc) swc = require(require.resolve('@swc/core', { paths: [ROOT] }));
  return swc;
}
function versionOfSwc() {
  if (swcVersion === undefined) {
    try {
      swcVersion = JSON.parse(fs.readFileSync(require.resolve('@swc/core/package.json', { paths: [ROOT] }), 'utf8')).version;
    } catch {
      swcVersion = '?';
    }
  }
  return swcVersion;
}

/** The CommonJS of one TypeScript source, from the disk cache or compiled now (and stored atomically). */
function compiled(source, filename) {
  const key = createHash('sha256').update(versionOfSwc()).update(JSON.stringify(OPTIONS)).update(filename).update(source).digest('hex');
  const file = path.join(CACHE, `${key.slice(0, 40)}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // not compiled yet
  }
  const code = swcCore().transformSync(source, { ...OPTIONS, filename }).code;
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, code);
    fs.renameSync(temp, file);
  } catch {
    // a read-only workspace still loads, only without the cache
  }
  return code;
}

function loadTs(module, filename) {
  module._compile(compiled(fs.readFileSync(filename, 'utf8'), filename), filename);
}

function register() {
  if (!require.extensions['.ts'] || !require.extensions['.ts'].lavaTsCache) {
    // Our sources through the cache; any other `.ts` (none expected) to whatever handled it before.
    const before = require.extensions['.ts'];
    require.extensions['.ts'] = function (module, filename) {
      if (filename.startsWith(SRC) || !before) return loadTs(module, filename);
      return before(module, filename);
    };
    require.extensions['.ts'].lavaTsCache = true;
  }
}

/** Requires a source of the plugin by its path relative to tools/executors/src, e.g. `plugins/cfn.ts`. */
function load(relative) {
  if (!require.extensions['.ts'] || !require.extensions['.ts'].lavaTsCache) register();
  return require(path.join(SRC, relative));
}

module.exports = { load, register, compiled, CACHE };
