// executors.json's implementations (`./executors.js#<name>`): each executor's TypeScript source,
// src/executors/<name>/<name>.impl.ts, loaded through ts-cache.js (compiled once, cached on disk),
// so a task process starts without loading swc and compiling every module again.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { load } = require('./ts-cache');

const source = (name) => `executors/${name}/${name}.impl.ts`;

module.exports = new Proxy(
  {},
  {
    get(_, name) {
      if (typeof name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(name) || !existsSync(join(__dirname, 'src', source(name)))) return undefined;
      return load(source(name)).default;
    },
  },
);
