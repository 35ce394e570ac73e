#!/usr/bin/env bash
# Installs everything the build needs on a Debian machine, skipping what is
# already there: Debian packages (as root), node_modules, the Python tools.
# Each check is keyed on what it depends on (stamps under .nx/workspace-data),
# so a run with nothing changed starts no package manager and no nx.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_ISOLATE_PLUGINS=false NX_DAEMON="${NX_DAEMON:-false}" NX_TUI="${NX_TUI:-false}"
STAMPS=.nx/workspace-data
mkdir -p "$STAMPS"

# Debian packages: asked again only when the list or dpkg's database changed since the last check
# that found them all.
apt_checked=$STAMPS/lava-apt-packages.checked
if [[ ! ($apt_checked -nt tools/setup/apt-packages.txt && $apt_checked -nt /var/lib/dpkg/status) ]]; then
  wanted=()
  while read -r pkg; do
    [[ -z "$pkg" || "$pkg" == \#* ]] && continue
    wanted+=("$pkg")
  done <tools/setup/apt-packages.txt
  declare -A installed=()
  while IFS=$'\t' read -r name status; do
    [[ $status == "install ok installed" ]] && installed[$name]=1
  done < <(dpkg-query -W -f='${Package}\t${Status}\n' "${wanted[@]}" 2>/dev/null || true)
  missing=()
  for pkg in "${wanted[@]}"; do [[ -n ${installed[$pkg]:-} ]] || missing+=("$pkg"); done
  if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
      echo "✖ missing Debian packages: ${missing[*]}; run: sudo apt-get install ${missing[*]}" >&2
      exit 1
    fi
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  touch "$apt_checked"
fi

# node_modules: `npm ci` only when package-lock.json is not the one it was installed (or last found
# up to date) for, by content: a checkout that rewrites the same lock file installs nothing.
npm_lock=$STAMPS/lava-npm-lock.sha256
lock_sum=$(sha256sum <package-lock.json)
if [[ ! ($npm_lock -nt node_modules/.package-lock.json && $(<"$npm_lock") == "$lock_sum") ]]; then
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    if [[ -L node_modules ]]; then
      # A link to another checkout's packages (a git worktree): npm ci here would replace those.
      echo "✖ node_modules links to $(readlink -f node_modules), installed for another package-lock.json; run: npm ci there, or replace the link with a folder and rerun" >&2
      exit 1
    fi
    npm ci --no-audit --no-fund
  fi
  echo "$lock_sum" >"$npm_lock"
fi

# The Python tools: python-env:init only when .venv is not what it would make now, as its own cache
# key (tools/python/env-stamp.sh) tells.
if [[ $(. tools/python/env-stamp.sh) == "absent or stale: "* ]]; then
  node_modules/.bin/nx run python-env:init
fi
