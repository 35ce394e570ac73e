#!/usr/bin/env bash
# The user guide through nx (docs:build) against the same steps run directly,
# as lava's `make -C doc` ran them, median of $RUNS (default 5): cold, restored
# from cache after rm -rf dist, and a no-op with everything cached.
# Ratio = nx time / direct time.
. "$(dirname "$0")/lib.sh"
make_workspace
[[ -x "$ROOT/.venv/bin/mkdocs" ]] || { echo "bench: no Python environment; run: npx nx run python-env:init" >&2; exit 1; }
NX="$ROOT/node_modules/.bin/nx"

# The direct equivalent, step by step as make did it: the samples page, the cfn
# chapter from the template sources, the chapters merged in byte order, mkdocs/
# copied, index.md rendered, the split (our md-split port, run by node, as
# make ran etc/md-split), then one mkdocs build.
direct() {
  set -e
  tmp=$(mktemp -d)
  cp -R packages/docs/user-guide/. "$tmp/chapters"
  (cd packages/dev-tools && PATH="$PWD/../../.venv/bin:$PATH" ./make-template-md.sh) > "$tmp/chapters/18-Samples/samples.md"
  for tpl in packages/cfn/*.cfn.json; do
    cfn=$(basename "$tpl")
    CFDOCPATH=packages/docs/cfdoc .venv/bin/cfdoc --format md-mkdocs --name "$cfn" "$tpl" > "$tmp/chapters/60-cfn/$cfn.md"
  done
  mkdir -p dist/doc
  find "$tmp/chapters" -name '*.md' -print0 | LC_ALL=C sort -z | xargs -0 -n1 sed -e '1s/^/\n/' > dist/doc/lava-user-guide.md
  rm -rf dist/doc/lava-user-guide.site && cp -RL packages/docs/mkdocs dist/doc/lava-user-guide.site
  .venv/bin/python3 -c 'import sys, jinja2; print(jinja2.Environment().from_string(open(sys.argv[1]).read()).render(version=sys.argv[2]))' \
    packages/docs/mkdocs/docs/index.md "$LAVA_VERSION" > dist/doc/lava-user-guide.site/docs/index.md
  node -r @swc-node/register -e 'require("./tools/executors/src/lib/docs/md-split").mdSplit(...process.argv.slice(1))' \
    dist/doc/lava-user-guide.md dist/doc/lava-user-guide.site/docs dist/doc/lava-user-guide.site/mkdocs.yml
  md_footer_rhs="v$LAVA_VERSION" PYTHONPATH="$PWD/packages/lava" NO_MKDOCS_2_WARNING=1 \
    .venv/bin/mkdocs build --clean --config-file dist/doc/lava-user-guide.site/mkdocs.yml --site-dir dist/doc/site
  rm -rf "$tmp"
}
LAVA_VERSION=$(lava_version)
export -f direct; export LAVA_VERSION

nx_docs() { "$NX" run docs:build --output-style=static; }
export -f nx_docs; export NX

(cd "$WS" && nx_docs) >>"$BENCH_LOG" 2>&1
direct_time=$(median_of 'rm -rf dist/doc' bash -c direct)
print_cache_cases "docs: nx run docs:build" "$direct_time" nx_docs
