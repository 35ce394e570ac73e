// `node -r ./tools/executors/ts-register.js <file>.ts`: runs a TypeScript script of this workspace
// (tools/setup/*.ts) through ts-cache.js, compiled once and kept, where `-r @swc-node/register`
// loads swc and compiles every module on every start (~1 s of each ./build.sh on this machine).
'use strict';
require('./ts-cache').register();
