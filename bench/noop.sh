#!/usr/bin/env bash
# No-op against Nx's floor: our workspace with every task cached, against a plugin-free Nx
# workspace (same nx, same node_modules) with the same number of cached `nx:run-commands` tasks.
# Prints ours/reference for `run-many` of every cacheable target (daemon off, then on) and for
# `nx show projects`, medians of $RUNS (default 5). The docker-built artefacts (builders, Lambdas,
# images) are left out on both sides when no engine answers, as ./build.sh leaves them out.
RUNS=${RUNS:-5}
. "$(dirname "$0")/lib.sh"
make_workspace
REF=$(mktemp -d /tmp/lava-bench-ref-XXXXXX)
trap 'for w in "$WS" "$REF"; do (cd "$w" && NX_DAEMON=true "$ROOT/node_modules/.bin/nx" daemon --stop >/dev/null 2>&1 || true); done; rm -rf "$WS" "$REF"; [[ -s $WS.ok ]] && rm -f "$BENCH_LOG" "$WS.ok"' EXIT
NX="$ROOT/node_modules/.bin/nx"
read -r -a TARGETS <<<"${TARGETS:-build doc lint pkg--host}"
EXCLUDE=()
docker version >/dev/null 2>&1 || EXCLUDE=(--exclude='tag:type:builder,tag:type:lambda,tag:type:docker-image')
(cd "$WS" && git init -q -b main && git add -A && git -c user.email=b@lava.invalid -c user.name=bench commit -q -m base)

# Ours: build once (untimed), then the task count of the run.
(cd "$WS" && "$NX" run-many -t "${TARGETS[@]}" "${EXCLUDE[@]}" --output-style=static) >>"$BENCH_LOG" 2>&1 \
  || { echo "bench: the warm-up build failed (log: $BENCH_LOG)" >&2; exit 1; }
(cd "$WS" && "$NX" run-many -t "${TARGETS[@]}" "${EXCLUDE[@]}" --graph="$WS.graph.json") >>"$BENCH_LOG" 2>&1
TASKS=$(node -e 'console.log(Object.keys(require(process.argv[1]).tasks.tasks).length)' "$WS.graph.json")
PROJECTS=$(cd "$WS" && "$NX" show projects | wc -l)
rm -f "$WS.graph.json"

# The reference: $TASKS projects with one cached task each (so as many tasks), in as many projects as
# ours has at least, no plugins, the same nx.
(cd "$REF" && ln -s "$ROOT/node_modules" node_modules \
  && printf '{ "name": "ref", "private": true }\n' >package.json \
  && printf '{ "analytics": false, "cacheDirectory": ".nx/cache" }\n' >nx.json \
  && printf 'node_modules\n.nx\n' >.gitignore)
count=$(( TASKS > PROJECTS ? TASKS : PROJECTS ))
for i in $(seq "$count"); do
  mkdir -p "$REF/p$i"
  if (( i <= TASKS )); then
    printf '{ "name": "p%s", "targets": { "build": { "executor": "nx:run-commands", "cache": true, "outputs": ["{workspaceRoot}/dist/p%s"], "options": { "command": "mkdir -p dist/p%s && echo %s > dist/p%s/out" } } } }\n' "$i" "$i" "$i" "$i" "$i" >"$REF/p$i/project.json"
  else
    printf '{ "name": "p%s" }\n' "$i" >"$REF/p$i/project.json"
  fi
done
(cd "$REF" && git init -q -b main && git add -A && git -c user.email=b@lava.invalid -c user.name=bench commit -q -m base \
  && "$NX" run-many -t build --output-style=static) >>"$BENCH_LOG" 2>&1

ours_run() { "$NX" run-many -t $TARGET_LIST "$@" --output-style=static; }
ref_run() { "$NX" run-many -t build --output-style=static; }
show() { "$NX" show projects; }
export NX TARGET_LIST="${TARGETS[*]}"
export -f ours_run ref_run show
EXCL="${EXCLUDE[*]:-}"

off_ours=$(median_of ':' bash -c "ours_run $EXCL")
off_ref=$(cd "$REF" && WS=$REF median_of ':' bash -c ref_run)
show_ours=$(median_of ':' bash -c show)
show_ref=$(WS=$REF median_of ':' bash -c show)
export NX_DAEMON=true
(cd "$WS" && ours_run $EXCL) >>"$BENCH_LOG" 2>&1
(cd "$REF" && ref_run) >>"$BENCH_LOG" 2>&1
on_ours=$(median_of ':' bash -c "ours_run $EXCL")
on_ref=$(WS=$REF median_of ':' bash -c ref_run)

echo "no-op: $TASKS cached tasks, $PROJECTS projects (${EXCL:-all targets}), median of $RUNS runs on $(nproc) cores"
row "case" "ours" "reference" "ratio"
row "run-many, daemon off" "$off_ours" "$off_ref" "$(ratio "$off_ours" "$off_ref")"
row "run-many, daemon on" "$on_ours" "$on_ref" "$(ratio "$on_ours" "$on_ref")"
row "nx show projects, daemon off" "$show_ours" "$show_ref" "$(ratio "$show_ours" "$show_ref")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo ok >"$WS.ok"
