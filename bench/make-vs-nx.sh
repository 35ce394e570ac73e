#!/usr/bin/env bash
# The whole build, make against nx, on the real lava tree (../shared/upstream/lava or $UPSTREAM),
# like with like:
#   * make: its targets one by one (make cfn, make -C cfn, make jinlava, make tools, make pkg,
#     make doc) in a copy of the tree with its links restored, after `make init` (untimed); each
#     run checks that make built every artefact (make's pkg.sh failures remove the bundle and do
#     not fail make, which would then time a build that built nothing);
#   * make + HTML: the same and the guide's HTML site, which nx's docs:build makes and make doc
#     does not (make preview and make publish run mkdocs on make doc's output each time): mkdocs
#     build of that output, as they run it; timed in the same runs as a step of its own;
#   * nx: `./build.sh` as a user runs it, in a workspace that adopted the tree, after its install
#     step ran once (untimed, as make init is); each timed run is the whole command: install.sh's
#     checks, the nx run, the summary. No docker engine on the nx side (make's targets build no
#     image either): ./build.sh skips the builders, Lambdas and images, as it says. nx builds one
#     artefact make has no target for, the cache server (tsc), and it counts against nx.
# Cold: no dist (nx: no cache either); no-op: again, nothing changed (make has no cache: it builds
# the bundle and the sdist again). Medians of $RUNS (default 3); pip's and uv's package caches warm
# on both sides (one untimed run of each first). Also prints what the last cold run spent its time
# on: each make target, each nx task (Nx's run.json).
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
export MK VENV PIP_CONSTRAINT_FILE="$ROOT/tools/python/build-constraints.txt"

# Each make target, then the HTML site, timed into $MK/steps (this run's), every artefact checked.
make_all() {
  cd "$MK/lava" && . "$VENV/bin/activate" && : >"$MK/steps" || return 1
  local step start version
  for step in cfn "-C cfn" jinlava tools pkg doc; do
    start=$(date +%s%N)
    make $step || return 1
    echo "make|make $step|$(( ($(date +%s%N) - start) / 1000000 ))|" >>"$MK/steps"
  done
  start=$(date +%s%N)
  version=$(python3 lava/version.py --all)
  (cd doc && PYTHONPATH=.. md_footer_rhs="v$version" mkdocs build --clean --config-file ../dist/doc/lava-user-guide.site/mkdocs.yml --site-dir "$MK/lava/dist/doc/site") || return 1
  echo "html|mkdocs build|$(( ($(date +%s%N) - start) / 1000000 ))|" >>"$MK/steps"
  for artefact in dist/cfn/*.cfn.json dist/cfn/*.cfn.html dist/jinlava/*.tar.gz dist/dev-tools/*.zip dist/pkg/*/*.tar.bz2 dist/doc/lava-user-guide.md dist/doc/site/index.html; do
    [[ -f $artefact ]] || { echo "bench: make built no $artefact" >&2; return 1; }
  done
}
# No engine answers here, whatever the shell has: make's targets build no image either.
nx_all() { DOCKER_HOST=unix:///nonexistent/docker.sock ./build.sh; }
export -f make_all nx_all

# The copy shares this checkout's node_modules: its lock file is the one they were installed for.
touch -r "$ROOT/node_modules/.package-lock.json" "$WS/package-lock.json"
# Untimed: each side once, filling pip's and uv's caches (make's cx_Oracle wheel built under the
# build constraints once, as on a machine where it was built before; see upstream-bundle.sh), and
# ./build.sh's install step (its stamps) done once, as make init is.
(cd "$WS" && nx_all) >>"$BENCH_LOG" 2>&1 || { echo "bench: ./build.sh failed (log: $BENCH_LOG)" >&2; exit 1; }
(PIP_CONSTRAINT="$PIP_CONSTRAINT_FILE" make_all) >>"$BENCH_LOG" 2>&1 || { echo "bench: make failed (log: $BENCH_LOG)" >&2; exit 1; }

# make: $RUNS runs after `setup`; prints the medians of the six targets and of the six plus the HTML.
make_runs() {
  local runs=()
  for _ in $(seq "$RUNS"); do
    (eval "$1")
    bash -c make_all >>"$BENCH_LOG" 2>&1 || { echo "bench: make failed (log: $BENCH_LOG)" >&2; exit 1; }
    runs+=("$(awk -F'|' '$1 == "make" { m += $3 } $1 == "html" { h = $3 } END { printf "%.3f %.3f", m / 1000, (m + h) / 1000 }' "$MK/steps")")
  done
  echo "$(printf '%s\n' "${runs[@]}" | cut -d' ' -f1 | median) $(printf '%s\n' "${runs[@]}" | cut -d' ' -f2 | median)"
}
read -r make_cold html_cold < <(make_runs 'rm -rf "$MK/lava/dist"')
make_steps=$(cat "$MK/steps")
read -r make_noop html_noop < <(make_runs ':')
nx_cold=$(median_of 'rm -rf dist .nx/cache' bash -c nx_all)
nx_tasks=$(node -e '
  const run = require(process.argv[1]);
  for (const t of run.tasks.sort((a, b) => Date.parse(b.endTime) - Date.parse(b.startTime) - (Date.parse(a.endTime) - Date.parse(a.startTime))))
    console.log(`nx|${t.taskId}|${Date.parse(t.endTime) - Date.parse(t.startTime)}|${t.cacheStatus}`);' "$WS/.nx/cache/run.json")
nx_noop=$(median_of ':' bash -c nx_all)

echo "the real lava tree, make (cfn, -C cfn, jinlava, tools, pkg, doc, after make init) vs ./build.sh (after its install step; no engine: no images), median of $RUNS runs on $(nproc) cores"
echo "make + HTML: make's targets and mkdocs build of make doc's output (the HTML site docs:build makes); nx also builds the cache server, which make has no target for"
line() { printf '%-30s %9s s %12s s %9s s %8s %12s\n' "$@"; }
line "case" "make" "make + HTML" "./build.sh" "make/nx" "make+HTML/nx"
line "cold (no dist; nx: no cache)" "$make_cold" "$html_cold" "$nx_cold" "$(ratio "$make_cold" "$nx_cold")" "$(ratio "$html_cold" "$nx_cold")"
line "no-op (nothing changed)" "$make_noop" "$html_noop" "$nx_noop" "$(ratio "$make_noop" "$nx_noop")" "$(ratio "$html_noop" "$nx_noop")"
echo "the last cold run, ms (nx tasks run up to 3 at a time; make's one after another):"
printf '%s\n%s\n' "$make_steps" "$nx_tasks" | awk -F'|' '{ printf "  %-5s %-28s %7d ms %s\n", $1, $2, $3, $4 }'
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo ok >"$WS.ok"
