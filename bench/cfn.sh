#!/usr/bin/env bash
# The cfn artefacts (build + doc + lint) through nx against the same tools run
# directly, median of $RUNS (default 5): cold, restored from cache after
# rm -rf dist, and a no-op with everything cached. Ratio = nx time / direct time.
. "$(dirname "$0")/lib.sh"
make_workspace
[[ -x "$ROOT/.venv/bin/cfdoc" ]] || { echo "bench: no Python environment; run: npx nx run python-env:init" >&2; exit 1; }
NX="$ROOT/node_modules/.bin/nx"
VERSION=$(lava_version num)

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
print_cache_cases "cfn: nx run-many -t build doc lint -p cfn" "$direct_time" nx_all
