#!/usr/bin/env bash
# The user guide through nx (docs:build, with cfn:build before it) against the
# same tools run directly, median of $RUNS (default 5): cold, restored from
# cache after rm -rf dist, and a no-op with everything cached.
# Ratio = nx time / direct time.
. "$(dirname "$0")/lib.sh"
make_workspace
[[ -x "$ROOT/.venv/bin/mkdocs" ]] || { echo "bench: no Python environment; run: npx nx run python-env:init" >&2; exit 1; }
NX="$ROOT/node_modules/.bin/nx"

# The direct equivalent: the reference pages with cfdoc, then one strict mkdocs build.
# It reuses the templates nx built, so it leaves out cfn:build's own work.
direct() {
  pages=$(mktemp -d)
  mkdir -p "$pages/reference/cfn"
  for tpl in dist/cfn/*.cfn.json; do
    name=$(basename "$tpl" .cfn.json)
    CFDOCPATH=packages/docs/cfdoc .venv/bin/cfdoc --format md-mkdocs --name "$name" "$tpl" > "$pages/reference/cfn/$name.md"
  done
  LAVA_DOCS_VERSION="$LAVA_VERSION" LAVA_DOCS_GENERATED="$pages" NO_MKDOCS_2_WARNING=1 \
    .venv/bin/mkdocs build --strict --clean --config-file packages/docs/mkdocs.yml --site-dir dist/doc/site
  rm -rf "$pages"
}
LAVA_VERSION=$(lava_version)
export -f direct; export LAVA_VERSION

nx_docs() { "$NX" run docs:build --output-style=static; }
export -f nx_docs; export NX

(cd "$WS" && nx_docs) >>"$BENCH_LOG" 2>&1
direct_time=$(median_of 'rm -rf dist/doc' bash -c direct)
print_cache_cases "docs: nx run docs:build" "$direct_time" nx_docs
