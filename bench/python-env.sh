#!/usr/bin/env bash
# python-env:init as on a fresh machine: no .venv, no nx cache, and empty pip and uv caches (every
# package downloaded), median of $RUNS (default 3); then the no-op (everything in place).
#
# Each cold run's predecessors (.venv, caches) are moved aside, not deleted, until the bench ends:
# on ext4 without a journal (this machine's root) the inode allocator skips inodes freed in the last
# minute or more, one look-up each, so creating the ~34,000 files of the tools right after deleting
# as many took 2-4 times as long (perf: find_inode_bit/recently_deleted, 75 % of uv's time). A fresh
# machine has deleted nothing; the second row shows the cost when it just has (re-made at once).
RUNS=${RUNS:-3}
. "$(dirname "$0")/lib.sh"
make_workspace
rm -f "$WS/.venv"   # make_workspace links the shared one: this bench makes its own
CACHES=$(mktemp -d /tmp/lava-bench-caches-XXXXXX)
ASIDE="$CACHES/aside"
mkdir -p "$ASIDE"
trap 'rm -rf "$WS" "$CACHES" "$BENCH_LOG"' EXIT
export NX="$ROOT/node_modules/.bin/nx" PIP_CACHE_DIR="$CACHES/pip" UV_CACHE_DIR="$CACHES/uv"
init() { "$NX" run python-env:init --output-style=static; }
export -f init

fresh='n=$(date +%s%N); for d in .venv .nx/cache "$PIP_CACHE_DIR" "$UV_CACHE_DIR"; do if [[ -e $d ]]; then mv "$d" "$ASIDE/$n-${d//\//_}"; fi; done'
cold=$(median_of "$fresh" bash -c init)
deleted=$(median_of 'rm -rf .venv .nx/cache "$PIP_CACHE_DIR" "$UV_CACHE_DIR"' bash -c init)
noop=$(median_of ':' bash -c init)
echo "python-env:init ($(grep -cE '^[A-Za-z]' "$ROOT/tools/python/requirements.txt") pinned tools, uv $(grep -oP '^uv==\K\S+' "$ROOT/tools/python/requirements.txt")), median of $RUNS runs on $(nproc) cores"
row "case" "time" "goal" ""
row "fresh machine (no .venv, no caches)" "$cold" "20.000" ""
row "the same, just after rm -rf of the last one" "$deleted" "" ""
row "no-op (nothing changed)" "$noop" "" ""
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
