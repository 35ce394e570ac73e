#!/usr/bin/env bash
# The two commands of the README:
#   ./build.sh        install everything, then build every artefact
#   ./build.sh test   install everything, then run the tests
set -euo pipefail
cd "$(dirname "$0")"
export NX_ISOLATE_PLUGINS=false NX_DAEMON="${NX_DAEMON:-false}" NX_TUI="${NX_TUI:-false}"

bash tools/setup/install.sh

case "${1:-build}" in
  build)
    npx nx run-many -t build doc lint
    ;;
  test)
    npx vitest run
    ;;
  *)
    echo "✖ unknown command '$1'; run: ./build.sh (build everything) or ./build.sh test" >&2
    exit 2
    ;;
esac
