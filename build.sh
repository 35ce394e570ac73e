#!/usr/bin/env bash
# The commands of the README:
#   ./build.sh        install everything, then build every artefact
#   ./build.sh test   install everything, then run the tests
#   ./build.sh verify install everything, then prove the artefacts reproducible (built twice, compared)
#   ./build.sh why <project>:<target>   why that task would miss the cache (or that it would hit)
set -euo pipefail
cd "$(dirname "$0")"
export NX_ISOLATE_PLUGINS=false NX_DAEMON="${NX_DAEMON:-false}" NX_TUI="${NX_TUI:-false}"
# Into a log file or CI: no colour (nx forces it on in every task unless told otherwise).
if [[ ! -t 1 ]]; then export FORCE_COLOR="${FORCE_COLOR:-0}" NO_COLOR="${NO_COLOR:-1}"; fi

# `why` only reads the graph and the cache: it needs node_modules, nothing installed.
if [[ ${1:-build} != why ]]; then bash tools/setup/install.sh; fi

case "${1:-build}" in
  build)
    # Every artefact that can be built, then one summary, last on screen: built / restored from
    # cache / skipped (why, and the command that fixes it) / failed. Builders, Lambdas and lava
    # images need a docker engine with buildx and their upstream bases (Docker Hub, the distro
    # mirrors, a package index their containers reach, Oracle's site for the full images): what
    # the outside world denies is skipped alone, never stopping the rest.
    # Exit: 1 when something that could have been built failed; 0 when the only gaps are skips
    # for an absent engine or network; LAVA_BUILD_STRICT=1 makes such skips exit 3.
    exec node -r ./tools/executors/ts-register.js tools/setup/build.ts
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
    # All three vitest projects (vitest.config.ts): unit, workspace, then docker.
    # The JSON report gives a plain closing line ("N passed, N failed") that any CI can read.
    status=0
    npx vitest run --reporter=default --reporter=json --outputFile.json=.nx/test-results.json || status=$?
    node -e 'const r = require("./.nx/test-results.json");
      console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' || true
    exit "$status"
    ;;
  verify)
    # The committed tree built twice, in two clones that differ in path, umask, source mtimes,
    # time and user, with --skip-nx-cache; every artefact's sha256 compared (reproducibility:verify,
    # whose options it passes on, e.g. --projects=cfn,jinlava). Docker targets need an engine.
    shift
    exec npx nx run reproducibility:verify "$@"
    ;;
  why)
    # Which inputs of a task changed since its last cached run (files with old → new hash,
    # environment variables by name only, runtime inputs, dependency outputs such as a builder's
    # digest, options), or, when it would hit, where its cache entry came from and when.
    exec node -r ./tools/executors/ts-register.js tools/setup/why.ts "${@:2}"
    ;;
  *)
    echo "✖ unknown command '$1'; run: ./build.sh (build everything), ./build.sh test, ./build.sh verify or ./build.sh why <project>:<target>" >&2
    exit 2
    ;;
esac
