#!/usr/bin/env bash
# Installs everything the build needs on a Debian machine, skipping what is
# already there: Debian packages (as root), node_modules, the Python tools.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_ISOLATE_PLUGINS=false NX_DAEMON="${NX_DAEMON:-false}" NX_TUI="${NX_TUI:-false}"

missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < tools/setup/apt-packages.txt
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "✖ missing Debian packages: ${missing[*]}; run: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi

npx nx run python-env:init
