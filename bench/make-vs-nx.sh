#!/usr/bin/env bash
# The whole build, make against nx, on the real lava tree (../shared/upstream/lava or $UPSTREAM):
# make's targets one by one (make cfn, make -C cfn, make jinlava, make tools, make pkg, make doc)
# in a copy of the tree with its links restored and a venv made by `make init` (untimed), against
# `nx run-many -t build doc pkg--host` of the same artefacts in a workspace that adopted the tree
# (python-env:init, the make init analogue, done before timing as well). Cold: no dist (and for
# nx no cache); no-op: again, nothing changed. Medians of $RUNS (default 3); pip's and uv's
# package caches warm on both sides (one untimed run of each first).
RUNS=${RUNS:-3}
. "$(dirname "$0")/lib.sh"
UPSTREAM=${UPSTREAM:-$ROOT/../shared/upstream/lava}
[[ -f $UPSTREAM/lava/VERSION.json ]] || { echo "bench: no lava tree at $UPSTREAM; set UPSTREAM=<lava checkout>" >&2; exit 1; }
make_workspace
MK=$(mktemp -d /tmp/lava-bench-make-XXXXXX)
trap 'rm -rf "$WS" "$MK"; [[ -f $WS.ok ]] && rm -f "$BENCH_LOG" "$WS.ok"' EXIT
(cd "$WS" && git init -q -b main && git add -A && git -c user.email=b@lava.invalid -c user.name=bench commit -q -m base \
  && "$ROOT/node_modules/.bin/nx" g ./tools/executors:adopt-lava --source="$UPSTREAM" >>"$BENCH_LOG" 2>&1 \
  && git add -A && git -c user.email=b@lava.invalid -c user.name=bench commit -q -m "Adopt lava")

# A writable copy of the real tree with its symbolic links back (the stored tree holds link stubs).
node -e '
  const fs = require("node:fs"), path = require("node:path");
  const { readLavaTree } = require(process.argv[1]).load("lib/workspace/adopt.ts");
  const [src, dst] = process.argv.slice(2);
  for (const e of readLavaTree(src)) {
    const to = path.join(dst, e.path);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (e.kind === "link") fs.symlinkSync(e.target, to);
    else { fs.copyFileSync(path.join(src, e.path), to); fs.chmodSync(to, e.executable ? 0o755 : 0o644); }
  }' "$ROOT/tools/executors/ts-cache.js" "$UPSTREAM" "$MK/lava"
# The pinned files newer than their .in sources, as in a checkout: make freeze has nothing to do.
touch "$MK"/lava/requirements*.txt
(cd "$MK/lava" && git init -q -b main && git add -A && git -c user.email=b@lava.invalid -c user.name=bench commit -q -m base)
(cd "$MK/lava" && make init) >>"$BENCH_LOG" 2>&1 || { echo "bench: make init failed (log: $BENCH_LOG)" >&2; exit 1; }
VENV=$([[ -d $MK/lava/venv ]] && echo venv || echo .venv)
[[ -n $VENV ]] || { echo "bench: make init made no venv (log: $BENCH_LOG)" >&2; exit 1; }
export MK VENV NX="$ROOT/node_modules/.bin/nx" PIP_CONSTRAINT_FILE="$ROOT/tools/python/build-constraints.txt"

make_all() {
  cd "$MK/lava" && . "$VENV/bin/activate" && make cfn && make -C cfn && make jinlava && make tools && make pkg && make doc
}
nx_all() {
  "$NX" run-many -t build doc pkg--host --exclude='tag:type:builder,tag:type:lambda,tag:type:docker-image' --output-style=static
}
export -f make_all nx_all

# Untimed: each side once, filling pip's and uv's caches (make's cx_Oracle wheel built under the
# build constraints once, as on a machine where it was built before; see upstream-bundle.sh).
(cd "$WS" && "$NX" run python-env:init && nx_all) >>"$BENCH_LOG" 2>&1 || { echo "bench: nx build failed (log: $BENCH_LOG)" >&2; exit 1; }
(PIP_CONSTRAINT="$PIP_CONSTRAINT_FILE" make_all) >>"$BENCH_LOG" 2>&1 || { echo "bench: make failed (log: $BENCH_LOG)" >&2; exit 1; }

make_cold=$(median_of 'rm -rf "$MK/lava/dist"' bash -c make_all)
make_noop=$(median_of ':' bash -c make_all)
nx_cold=$(median_of 'rm -rf dist .nx/cache' bash -c nx_all)
nx_noop=$(median_of ':' bash -c nx_all)

echo "the real lava tree, make (cfn, -C cfn, jinlava, tools, pkg, doc) vs nx run-many -t build doc pkg--host, median of $RUNS runs on $(nproc) cores"
row "case" "make" "nx" "make/nx"
row "cold (no dist; nx: no cache)" "$make_cold" "$nx_cold" "$(ratio "$make_cold" "$nx_cold")"
row "no-op (nothing changed)" "$make_noop" "$nx_noop" "$(ratio "$make_noop" "$nx_noop")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo ok >"$WS.ok"
