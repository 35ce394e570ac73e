// nx.json's entry for src/plugins/build-plan.ts: a JavaScript plugin path, so Nx registers no TypeScript
// compiler; ts-cache.js loads the source compiled once and cached.
module.exports = require('../ts-cache').load('plugins/build-plan.ts');
