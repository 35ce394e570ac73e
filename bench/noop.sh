#!/usr/bin/env bash
# No-op against Nx's floor: our workspace with every task cached, against plugin-free Nx
# workspaces (same nx, same node_modules) with the same number of cached `nx:run-commands` tasks:
#   * "like ours": what Nx itself must do at a no-op of this workspace, done by a plugin-free one:
#     the same files to walk (ours, under files/, each project.json renamed so it makes no
#     project) and, task for task, the same outputs to restore (a copy of each of our tasks'
#     outputs: Nx without its daemon copies every cached output back at each hit); so the ratio
#     is what our plugins, inputs and hooks cost;
#   * "minimal": one small file per task and nothing else (the figure earlier runs printed).
# Prints ours/reference for `run-many` of every cacheable target (daemon off, then on) and for
# `nx show projects`, medians of $RUNS (default 5). The docker-built artefacts (builders, Lambdas,
# images) are left out on both sides when no engine answers, as ./build.sh leaves them out.
RUNS=${RUNS:-5}
. "$(dirname "$0")/lib.sh"
make_workspace
REF=$(mktemp -d /tmp/lava-bench-ref-XXXXXX)
LIKE=$(mktemp -d /tmp/lava-bench-like-XXXXXX)
OUTS=$(mktemp -d /tmp/lava-bench-outputs-XXXXXX)
trap 'for w in "$WS" "$REF" "$LIKE"; do (cd "$w" && NX_DAEMON=true "$ROOT/node_modules/.bin/nx" daemon --stop >/dev/null 2>&1 || true); done; rm -rf "$WS" "$REF" "$LIKE" "$OUTS"; [[ -s $WS.ok ]] && rm -f "$BENCH_LOG" "$WS.ok"' EXIT
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
# Each task's outputs as the run restores them (globs expanded), one folder per task, in task order.
i=0
while IFS= read -r line; do
  i=$((i + 1))
  mkdir -p "$OUTS/$i"
  [[ $line == - ]] && continue
  read -r -a outputs <<<"$line"
  (cd "$WS" && shopt -s nullglob && for pattern in "${outputs[@]}"; do for f in $pattern; do cp -a --parents "$f" "$OUTS/$i/"; done; done)
done < <(node -e 'for (const t of Object.values(require(process.argv[1]).tasks.tasks)) console.log(t.outputs.length ? t.outputs.join(" ") : "-")' "$WS.graph.json")
rm -f "$WS.graph.json"

# A reference in $1: $TASKS projects with one cached task each (so as many tasks), in as many
# projects as ours has at least, no plugins, the same nx; with `like`, our files beside them and,
# for task i, a copy of our task i's outputs as its outputs (none where ours has none).
reference() {
  local dir=$1 like=${2:-}
  (cd "$dir" && ln -s "$ROOT/node_modules" node_modules \
    && printf '{ "name": "ref", "private": true }\n' >package.json \
    && printf '{ "analytics": false, "cacheDirectory": ".nx/cache" }\n' >nx.json \
    && printf 'node_modules\n.nx\n' >.gitignore)
  if [[ -n $like ]]; then
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents -P {} "$dir/files/" 2>/dev/null || true)
    find "$dir/files" -name project.json -exec mv {} {}.txt \;
  fi
  local count=$(( TASKS > PROJECTS ? TASKS : PROJECTS )) i command outputs
  for i in $(seq "$count"); do
    mkdir -p "$dir/p$i"
    if (( i <= TASKS )); then
      command="mkdir -p dist/p$i && echo $i > dist/p$i/out" outputs="[\"{workspaceRoot}/dist/p$i\"]"
      if [[ -n $like ]]; then
        if [[ -n $(ls -A "$OUTS/$i") ]]; then command="mkdir -p dist/p$i && cp -a $OUTS/$i/. dist/p$i/"; else command=true outputs='[]'; fi
      fi
      printf '{ "name": "p%s", "targets": { "build": { "executor": "nx:run-commands", "cache": true, "outputs": %s, "options": { "command": "%s" } } } }\n' "$i" "$outputs" "$command" >"$dir/p$i/project.json"
    else
      printf '{ "name": "p%s" }\n' "$i" >"$dir/p$i/project.json"
    fi
  done
  (cd "$dir" && git init -q -b main && git add -A && git -c user.email=b@lava.invalid -c user.name=bench commit -q -m base \
    && "$NX" run-many -t build --output-style=static) >>"$BENCH_LOG" 2>&1
}
mkdir -p "$LIKE/files"
reference "$LIKE" like
reference "$REF"

ours_run() { "$NX" run-many -t $TARGET_LIST "$@" --output-style=static; }
ref_run() { "$NX" run-many -t build --output-style=static; }
show() { "$NX" show projects; }
export NX TARGET_LIST="${TARGETS[*]}"
export -f ours_run ref_run show
EXCL="${EXCLUDE[*]:-}"

# One timing of each side per round, the sides taking turns, so that a load that comes and goes
# (the machine is shared) falls on all three: prints the medians of ours, like ours, minimal.
measure() {
  local o=() l=() m=()
  for _ in $(seq "$RUNS"); do
    o+=("$(cd "$WS" && time_it bash -c "$1")")
    l+=("$(cd "$LIKE" && time_it bash -c "$2")")
    m+=("$(cd "$REF" && time_it bash -c "$2")")
  done
  echo "$(printf '%s\n' "${o[@]}" | median) $(printf '%s\n' "${l[@]}" | median) $(printf '%s\n' "${m[@]}" | median)"
}
read -r off_ours off_like off_ref < <(measure "ours_run $EXCL" ref_run)
read -r show_ours show_like show_ref < <(measure show show)
export NX_DAEMON=true
for w in "$WS" "$LIKE" "$REF"; do (cd "$w" && if [[ $w == "$WS" ]]; then ours_run $EXCL; else ref_run; fi) >>"$BENCH_LOG" 2>&1; done
read -r on_ours on_like on_ref < <(measure "ours_run $EXCL" ref_run)

line() { printf '%-30s %9s s %9s s %7s %9s s %7s\n' "$@"; }
echo "no-op: $TASKS cached tasks, $PROJECTS projects (${EXCL:-all targets}), median of $RUNS runs on $(nproc) cores"
echo "reference \"like ours\": our $(cd "$LIKE/files" && find . -type f -o -type l | wc -l) files, and each task's outputs ($(du -sh "$OUTS" | cut -f1)); \"minimal\": one small file per task"
line "case" "ours" "like ours" "ratio" "minimal" "ratio"
line "run-many, daemon off" "$off_ours" "$off_like" "$(ratio "$off_ours" "$off_like")" "$off_ref" "$(ratio "$off_ours" "$off_ref")"
line "run-many, daemon on" "$on_ours" "$on_like" "$(ratio "$on_ours" "$on_like")" "$on_ref" "$(ratio "$on_ours" "$on_ref")"
line "nx show projects, daemon off" "$show_ours" "$show_like" "$(ratio "$show_ours" "$show_like")" "$show_ref" "$(ratio "$show_ours" "$show_ref")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo ok >"$WS.ok"
