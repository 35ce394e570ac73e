#!/usr/bin/env bash
# python-env:init as on a fresh machine: no .venv, no nx cache, and empty pip and uv caches (every
# package downloaded), median of $RUNS (default 3); then the no-op (everything in place).
RUNS=${RUNS:-3}
. "$(dirname "$0")/lib.sh"
make_workspace
rm -f "$WS/.venv"   # make_workspace links the shared one: this bench makes its own
CACHES=$(mktemp -d /tmp/lava-bench-caches-XXXXXX)
trap 'rm -rf "$WS" "$CACHES" "$BENCH_LOG"' EXIT
export NX="$ROOT/node_modules/.bin/nx" PIP_CACHE_DIR="$CACHES/pip" UV_CACHE_DIR="$CACHES/uv"
init() { "$NX" run python-env:init --output-style=static; }
export -f init

cold=$(median_of 'rm -rf .venv .nx/cache "$PIP_CACHE_DIR" "$UV_CACHE_DIR"' bash -c init)
noop=$(median_of ':' bash -c init)
echo "python-env:init ($(grep -cE '^[A-Za-z]' "$ROOT/tools/python/requirements.txt") pinned tools, uv $(grep -oP '^uv==\K\S+' "$ROOT/tools/python/requirements.txt")), median of $RUNS runs on $(nproc) cores"
row "case" "time" "goal" ""
row "fresh machine (no .venv, no caches)" "$cold" "20.000" ""
row "no-op (nothing changed)" "$noop" "" ""
