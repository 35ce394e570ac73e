#!/usr/bin/env bash
# The cfn artefacts (build + doc + lint) through nx against the same tools run
# directly, median of $RUNS (default 5): cold, restored from cache after
# rm -rf dist, and a no-op with everything cached. Ratio = nx time / direct time.
. "$(dirname "$0")/lib.sh"
make_workspace
[[ -x "$ROOT/.venv/bin/cfdoc" ]] || { echo "bench: no Python environment; run: npx nx run python-env:init" >&2; exit 1; }
NX="$ROOT/node_modules/.bin/nx"
VERSION=$(python3 -c 'import json;print(json.load(open("packages/lava/lava/VERSION.json"))["__version_num__"])' 2>/dev/null || (cd "$WS" && python3 -c 'import json;print(json.load(open("packages/lava/lava/VERSION.json"))["__version_num__"])'))

# What make did for the same outputs: json-inject per template, cfdoc md+html per template, then cfn-lint.
direct() {
  mkdir -p dist/cfn
  for src in packages/cfn/*.cfn.json; do
    name=$(basename "$src")
    python3 -c 'import json,sys
t=json.load(open(sys.argv[1])); v=t["Parameters"]["Version"]; v["Default"]=sys.argv[2]; v["AllowedValues"]=[sys.argv[2]]
sys.stdout.write(json.dumps(t, sort_keys=True, indent=4)+"\n")' "$src" "$VERSION" > "dist/cfn/$name"
    for fmt in md html; do .venv/bin/cfdoc -c -f "$fmt" "dist/cfn/$name" > "dist/cfn/${name%.json}.$fmt"; done
  done
  .venv/bin/cfn-lint dist/cfn/*.cfn.json
}
export -f direct; export VERSION

nx_all() { "$NX" run-many -t build doc lint -p cfn --output-style=static; }
export -f nx_all; export NX

direct_time=$(median_of 'rm -rf dist' bash -c direct)
cold=$(median_of 'rm -rf dist .nx/cache .nx/workspace-data' bash -c nx_all)
restore=$(median_of 'rm -rf dist' bash -c nx_all)
noop=$(median_of ':' bash -c nx_all)

echo "cfn: nx run-many -t build doc lint -p cfn, median of $RUNS runs on $(nproc) cores"
row "case" "nx" "direct" "ratio"
row "cold (no cache, no dist)" "$cold" "$direct_time" "$(ratio "$cold" "$direct_time")"
row "restore from local cache after rm -rf dist" "$restore" "$direct_time" "$(ratio "$restore" "$direct_time")"
row "no-op (everything cached, dist present)" "$noop" "$direct_time" "$(ratio "$noop" "$direct_time")"
