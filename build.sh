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
    # Every artefact. Builders, Lambdas and lava images need a docker engine with buildx and
    # their upstream bases (Docker Hub, the distro mirrors, Oracle's site for the full images):
    # without an engine they are left out, and this says so.
    if docker info >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; then
      npx nx run oracle:sync
      npx nx run-many -t build doc lint pkg--host
    else
      echo "⚠ no docker engine: builders, Lambdas and lava images left out; run: sudo tools/docker-engine/engine.sh up, then ./build.sh" >&2
      npx nx run-many -t build doc lint pkg--host --exclude='tag:type:builder,tag:type:lambda,tag:type:docker-image'
    fi
    ;;
  test)
    # The docker tests need a real engine, the registry on :5001 and the test base image
    # (tools/docker-engine/engine.sh). An engine this run starts is stopped when it ends.
    engine=tools/docker-engine/engine.sh
    if ! bash "$engine" status >/dev/null 2>&1; then trap 'bash "$engine" down' EXIT; fi
    if engine_env=$(bash "$engine" up) && eval "$engine_env" && bash "$engine" base >/dev/null; then
      export LAVA_DOCKER_TESTS=required
    elif [[ -n ${CI:-} ]]; then
      echo "✖ no docker engine for the docker tests; run: sudo $engine up" >&2
      exit 1
    else
      echo "⚠ no docker engine: the docker tests will be skipped (run: sudo $engine up)" >&2
    fi
    # The JSON report gives a plain closing line ("N passed, N failed") that any CI can read.
    status=0
    npx vitest run --reporter=default --reporter=json --outputFile.json=.nx/test-results.json || status=$?
    node -e 'const r = require("./.nx/test-results.json");
      console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' || true
    exit "$status"
    ;;
  *)
    echo "✖ unknown command '$1'; run: ./build.sh (build everything) or ./build.sh test" >&2
    exit 2
    ;;
esac
