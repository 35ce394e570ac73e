#!/usr/bin/env bash
# A docker engine for lava's dev machines and CI: multi-platform `docker buildx build --push`, arm64 under
# qemu, and a registry on 127.0.0.1:5001.
#
#   tools/docker-engine/engine.sh up      start (or reuse) the engine and the registry; prints `export …` lines
#   tools/docker-engine/engine.sh base    build and push the test base image (multi-platform); prints its name
#   tools/docker-engine/engine.sh env     the `export …` lines for a running engine (eval them)
#   tools/docker-engine/engine.sh status  what is running; exit 0 when the engine answers
#   tools/docker-engine/engine.sh down    stop what `up` started, by PID, and put the network back
#   tools/docker-engine/engine.sh nodes up|down|status|check
#                                         a two-node BuildKit builder `lava-nodes` (see below)
#
# Use from a script:   eval "$(tools/docker-engine/engine.sh up)"   (then DOCKER_HOST, DOCKER_CONFIG, PATH are set)
#
# Which engine:
#   * an engine this script started earlier (its dockerd PID is alive): reused;
#   * otherwise, a docker that already answers and has buildx: used as it is, nothing installed
#     (a registry is started on 127.0.0.1:5001 with `docker run registry:2` if none answers there);
#   * otherwise (needs root): Docker 26 + buildx + containerd from Debian trixie .debs, unpacked
#     (dpkg-deb -x), never installed; dockerd with the containerd image store (multi-platform) on
#     overlayfs, its own socket, data and exec roots; Debian's docker-registry on 127.0.0.1:5001;
#     qemu-user-static + binfmt-support for arm64. The Debian packages it needs are installed
#     with apt when missing: docker-registry runc iptables iproute2 curl debootstrap qemu-user-static binfmt-support.
#
# Network: the daemon's bridge (172.31.253.1/24 unless LAVA_ENGINE_BIP says otherwise) has no NAT,
# no iptables rules of docker's own and no IP forwarding; if the host forwards IPv4, one FORWARD
# DROP rule keeps containers off the outside network. `down` deletes the bridge and that rule
# (only what `up` created), so the host's network is left as it was found. binfmt registrations
# stay (they are harmless and Debian's binfmt-support owns them).
#
# State and caches live OUTSIDE the clone, so CI stays fast between runs on one machine:
#   LAVA_BUILD_CACHE (default /var/cache/lava-build as root, else ~/.cache/lava-build)
#     engine/     unpacked debs, daemon data, sockets, PID files, logs
#     registry/   the registry's storage (survives `down`)
#     base/       debootstrap tarballs of the test base image (one per arch)
#
# The test base image (`base`): Debian trixie minbase + python3 (3.13) + pip + venv for linux/amd64
# and linux/arm64, pushed as one multi-platform index to localhost:5001/base/trixie-py3.13:latest.
# Docker Hub is unreachable on the build machines, so test Dockerfiles start FROM it. The arm64 tree
# is debootstrap's first stage, unpacked and fixed up on the host (configuring it under qemu costs
# ~5 minutes).
#
# The two-node builder (`nodes`): two BuildKit daemons on this machine, one per platform, made one
# buildx builder `lava-nodes` with the remote driver, as a team would join a native arm64 machine
# (`docker buildx create --append --platform linux/arm64 ssh://…`). Here the arm64 node runs arm64
# code through the host's qemu binfmt. `nodes up` prints `export BUILDX_BUILDER=lava-nodes`.
#   * buildkitd: $LAVA_BUILD_CACHE/buildkit/bin/buildkitd, else one on PATH, else built once with
#     `go install github.com/moby/buildkit/cmd/buildkitd@<version>` (needs Go and its module proxy);
#     `nodes check` says whether it can be had, in one line when not.
#   * each daemon: root, runc (OCI) worker, host network, its own unix socket, state dir and log
#     under $LAVA_BUILD_CACHE/buildkit, and a buildkitd.toml that lets it push to the plain-HTTP
#     registry on 127.0.0.1:5001.
#   * `nodes down`: removes the builder, stops the daemons by PID and deletes their sockets, state and
#     logs (the built buildkitd stays, as a cache).
set -euo pipefail

CACHE=${LAVA_BUILD_CACHE:-$([[ $(id -u) -eq 0 ]] && echo /var/cache/lava-build || echo "${XDG_CACHE_HOME:-$HOME/.cache}/lava-build")}
E=$CACHE/engine
REGISTRY_DIR=$CACHE/registry
BASE_DIR=$CACHE/base
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
BIP=${LAVA_ENGINE_BIP:-172.31.253.1/24}
REGISTRY_ADDR=127.0.0.1:5001
BASE_IMAGE=localhost:5001/base/trixie-py3.13
BASE_RECIPE=r1 # bump when the base recipe changes: the cached tarballs and the pushed tag follow it
APT_NEEDS=(docker-registry runc iptables iproute2 curl debootstrap qemu-user-static binfmt-support)
TRIXIE_DEBS=(docker.io docker-cli containerd docker-buildx)
BK=$CACHE/buildkit
BUILDKIT_VERSION=v0.17.3
NODES_BUILDER=lava-nodes
NODE_ARCHES=(amd64 arm64)

say() { printf '%s\n' "$*" >&2; }
die() { printf '✖ engine: %s\n' "$*" >&2; exit 1; }
alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
registry_answers() { curl -sf -o /dev/null --max-time 2 "http://$REGISTRY_ADDR/v2/"; }
# Runs "$@" with its output in $log, saying every 10 s what runs, for how long, and its last log line.
with_progress() {
  local what=$1 log=$2 pid start=$SECONDS status=0; shift 2
  "$@" >"$log" 2>&1 & pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do sleep 1; kill -0 "$pid" 2>/dev/null || break; done
    kill -0 "$pid" 2>/dev/null && say "engine: $what: $((SECONDS - start)) s, $(tail -n 1 "$log" 2>/dev/null | cut -c1-100)"
  done
  wait "$pid" || status=$?
  return "$status"
}
own_env() {
  echo "export DOCKER_HOST=unix://$E/run/docker.sock"
  echo "export DOCKER_CONFIG=$E/cfg"
  echo "export PATH=$E/root/usr/bin:\$PATH"
}
# Everything docker-related below runs with the engine's environment, whatever the caller's.
with_own_env() { DOCKER_HOST=unix://$E/run/docker.sock DOCKER_CONFIG=$E/cfg PATH=$E/root/usr/sbin:$E/root/usr/bin:$PATH "$@"; }

need_root() { [[ $(id -u) -eq 0 ]] || die "starting a docker engine needs root; run: sudo $0 $1"; }

apt_install_missing() {
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  say "engine: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

fetch_trixie_engine() {
  [[ -x $E/root/usr/sbin/dockerd && -x $E/root/usr/libexec/docker/cli-plugins/docker-buildx ]] && return 0
  say "engine: fetching Docker, containerd and buildx from Debian trixie (unpacked, not installed)"
  local A=(-o Dir::Etc::SourceList="$E/apt/sources.list" -o Dir::Etc::SourceParts="$E/apt/none"
    -o Dir::State::Lists="$E/apt/lists" -o Dir::Cache="$E/apt/cache"
    -o Dir::Etc::Preferences="$E/apt/none/p" -o Dir::Etc::PreferencesParts="$E/apt/none"
    -o APT::Architectures::=amd64 -o APT::Sandbox::User=root)
  rm -rf "$E/apt" "$E/debs" "$E/root.tmp"
  mkdir -p "$E/apt/lists/partial" "$E/apt/cache/archives/partial" "$E/apt/none" "$E/debs" "$E/root.tmp"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR trixie main" >"$E/apt/sources.list"
  apt-get "${A[@]}" -qq update
  (cd "$E/debs" && apt-get "${A[@]}" -qq download "${TRIXIE_DEBS[@]}")
  local d
  for d in "$E"/debs/*.deb; do dpkg-deb -x "$d" "$E/root.tmp"; done
  rm -rf "$E/root" && mv "$E/root.tmp" "$E/root"
  rm -rf "$E/apt" "$E/debs"
}

ensure_binfmt() {
  [[ -e /proc/sys/fs/binfmt_misc/status ]] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  [[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] || update-binfmts --enable qemu-aarch64
  grep -q '^flags:.*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 ||
    die "qemu-aarch64 is registered without the F (fix-binary) flag, so containers cannot use it; run: update-binfmts --disable qemu-aarch64 && $0 up"
}

start_dockerd() {
  mkdir -p "$E/cfg/cli-plugins" "$E/run" "$E/data" "$E/exec" "$E/log"
  ln -sf "$E/root/usr/libexec/docker/cli-plugins/docker-buildx" "$E/cfg/cli-plugins/docker-buildx"
  echo '{"features":{"containerd-snapshotter":true},"storage-driver":"overlayfs"}' >"$E/daemon.json"
  if ip link show docker0 >/dev/null 2>&1; then echo yes; else echo no; fi >"$E/run/bridge-preexisting"
  with_own_env setsid "$E/root/usr/sbin/dockerd" \
    --config-file "$E/daemon.json" --data-root "$E/data" --exec-root "$E/exec" --pidfile "$E/run/dockerd.pid" \
    -H "unix://$E/run/docker.sock" --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --bip="$BIP" --cgroup-parent=/lava-build >"$E/log/dockerd.log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 150); do
    with_own_env docker info >/dev/null 2>&1 && break
    kill -0 $! 2>/dev/null || die "dockerd exited at start: $(tail -n 3 "$E/log/dockerd.log" | tr '\n' ' ')"
    sleep 0.2
  done
  with_own_env docker info >/dev/null 2>&1 || die "dockerd did not answer within 30 s; see $E/log/dockerd.log"
  # The host forwards IPv4: without this rule a container's packet to the outside would leave un-NATed.
  if [[ $(cat /proc/sys/net/ipv4/ip_forward) == 1 ]] && ! iptables -C FORWARD -i docker0 ! -o docker0 -j DROP 2>/dev/null; then
    iptables -I FORWARD -i docker0 ! -o docker0 -j DROP
    touch "$E/run/forward-rule-added"
  fi
}

start_registry() {
  registry_answers && return 0
  mkdir -p "$REGISTRY_DIR/data" "$E/run" "$E/log"
  cat >"$REGISTRY_DIR/config.yml" <<EOF
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $REGISTRY_DIR/data}
  delete: {enabled: true}
http: {addr: $REGISTRY_ADDR}
EOF
  setsid docker-registry serve "$REGISTRY_DIR/config.yml" >"$E/log/registry.log" 2>&1 </dev/null &
  echo $! >"$E/run/registry.pid"
  local i
  for i in $(seq 1 100); do registry_answers && return 0; sleep 0.1; done
  die "the registry did not answer on $REGISTRY_ADDR; see $E/log/registry.log"
}

# A user's own docker (Docker Desktop, docker-ce, …): nothing installed; a registry container if none answers.
use_existing_engine() {
  say "engine: using the docker engine that already answers ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
  if ! registry_answers; then
    docker run -d --restart=always --name lava-registry -p "$REGISTRY_ADDR:5000" -v lava-registry:/var/lib/registry registry:2 >/dev/null ||
      die "no registry on $REGISTRY_ADDR and 'docker run registry:2' failed; run: npx nx run registry:serve (or start any registry on 127.0.0.1:5001)"
  fi
  docker buildx ls 2>/dev/null | grep -q 'linux/arm64' ||
    say "engine: warning: this engine's buildx lists no linux/arm64; run: docker run --privileged --rm tonistiigi/binfmt --install arm64"
}

cmd_up() {
  if alive "$E/run/dockerd.pid"; then
    registry_answers || start_registry
    own_env
    return 0
  fi
  if docker info >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; then
    use_existing_engine
    return 0
  fi
  need_root up
  local t0=$SECONDS
  mkdir -p "$E"
  apt_install_missing "${APT_NEEDS[@]}"
  fetch_trixie_engine
  ensure_binfmt
  start_dockerd
  start_registry
  say "engine: up in $((SECONDS - t0)) s: dockerd $(with_own_env docker version -f '{{.Server.Version}}'), buildx $(with_own_env docker buildx version | awk '{print $2}'), registry on $REGISTRY_ADDR"
  own_env
}

cmd_env() {
  if alive "$E/run/dockerd.pid"; then own_env; return 0; fi
  docker info >/dev/null 2>&1 && return 0
  die "no docker engine is running; run: $0 up"
}

stop_pid() {
  local file=$1 pid i
  alive "$file" || { rm -f "$file"; return 0; }
  pid=$(cat "$file")
  kill "$pid"
  for i in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$file"
}

cmd_down() {
  [[ -d $E/run ]] || { say "engine: nothing to stop"; return 0; }
  stop_pid "$E/run/registry.pid"
  stop_pid "$E/run/dockerd.pid"
  local m
  for m in $(awk -v e="$E/" 'index($2, e) == 1 {print $2}' /proc/mounts | sort -r); do umount "$m" 2>/dev/null || umount -l "$m"; done
  if [[ -f $E/run/bridge-preexisting && $(cat "$E/run/bridge-preexisting") == no ]]; then ip link del docker0 2>/dev/null || true; fi
  if [[ -f $E/run/forward-rule-added ]]; then iptables -D FORWARD -i docker0 ! -o docker0 -j DROP 2>/dev/null || true; fi
  rm -f "$E/run/bridge-preexisting" "$E/run/forward-rule-added" "$E/run/docker.sock"
  say "engine: stopped"
}

cmd_status() {
  local up=1
  if alive "$E/run/dockerd.pid"; then
    say "dockerd: running (pid $(cat "$E/run/dockerd.pid"), socket $E/run/docker.sock)"
    up=0
  elif docker info >/dev/null 2>&1; then
    say "dockerd: a docker engine not started by this script answers"
    up=0
  else
    say "dockerd: not running"
  fi
  if registry_answers; then say "registry: answering on $REGISTRY_ADDR"; else say "registry: not answering on $REGISTRY_ADDR"; fi
  if [[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]]; then say "binfmt: qemu-aarch64 registered"; else say "binfmt: no qemu-aarch64"; fi
  return $up
}

# debootstrap's first stage for arm64, unpacked and completed on the host from the configured amd64 tree.
make_arm64_tree() {
  local amd=$1 arm=$2 l d
  with_progress "debootstrap arm64" "$BASE_DIR/debootstrap-arm64.log" \
    debootstrap --foreign --arch=arm64 --variant=minbase --include=python3,python3-pip,python3-venv trixie "$arm" "$MIRROR"
  for d in "$arm"/var/cache/apt/archives/*.deb; do dpkg-deb --fsys-tarfile "$d" | tar -x --keep-directory-symlink -C "$arm"; done
  # With /.dockerenv present debootstrap makes proc a symlink to /proc, which runc refuses.
  if [[ -L $arm/proc ]]; then rm "$arm/proc" && mkdir -m 555 "$arm/proc"; fi
  # What the skipped (emulated) configure step would have made: passwd, group, CA bundle, alternatives.
  cp -an "$amd/etc/." "$arm/etc/"
  (cd "$amd" && find usr -type l ! -path '*x86_64*' ! -path 'usr/lib64*' ! -path 'usr/local/*') | while read -r l; do
    [[ -e $arm/$l || -L $arm/$l ]] || cp -a "$amd/$l" "$arm/$l"
  done
  mkdir -p "$amd/mnt/a64" && mount --bind "$arm" "$amd/mnt/a64"
  # .pyc files do not depend on the architecture: compile them with the amd64 Python.
  chroot "$amd" python3 -m compileall -q -j2 -s /mnt/a64 -p / /mnt/a64/usr/lib/python3.13 /mnt/a64/usr/lib/python3/dist-packages >/dev/null || true
  umount "$amd/mnt/a64" && rmdir "$amd/mnt/a64"
}

base_tarballs() {
  local amd=$BASE_DIR/trixie-py3.13-$BASE_RECIPE-amd64.tar arm=$BASE_DIR/trixie-py3.13-$BASE_RECIPE-arm64.tar
  [[ -f $amd && -f $arm ]] && return 0
  need_root base
  apt_install_missing debootstrap
  say "engine: debootstrap of Debian trixie with python3 for amd64 and arm64 (cached in $BASE_DIR)"
  local work=$BASE_DIR/work a
  rm -rf "$work" && mkdir -p "$work"
  with_progress "debootstrap amd64" "$BASE_DIR/debootstrap-amd64.log" \
    debootstrap --variant=minbase --include=python3,python3-pip,python3-venv trixie "$work/amd64" "$MIRROR"
  make_arm64_tree "$work/amd64" "$work/arm64"
  for a in amd64 arm64; do
    rm -rf "$work/$a"/var/cache/apt/archives/*.deb "$work/$a"/var/lib/apt/lists/* "$work/$a/debootstrap"
    tar --numeric-owner -C "$work/$a" -cf "$BASE_DIR/.tmp-$a.tar" .
  done
  mv "$BASE_DIR/.tmp-amd64.tar" "$amd" && mv "$BASE_DIR/.tmp-arm64.tar" "$arm"
  rm -rf "$work"
}

cmd_base() {
  local envs; envs=$(cmd_env) || exit 1; eval "$envs"
  local tag=$BASE_IMAGE:$BASE_RECIPE a
  registry_answers || die "no registry answers on $REGISTRY_ADDR; run: $0 up"
  if curl -sf -o /dev/null -H 'Accept: application/vnd.oci.image.index.v1+json' \
    "http://$REGISTRY_ADDR/v2/base/trixie-py3.13/manifests/$BASE_RECIPE"; then
    echo "$tag"
    return 0
  fi
  mkdir -p "$BASE_DIR"
  base_tarballs
  for a in amd64 arm64; do
    docker import --platform "linux/$a" -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' \
      "$BASE_DIR/trixie-py3.13-$BASE_RECIPE-$a.tar" "$tag-$a" >/dev/null
    docker push -q "$tag-$a" >/dev/null
  done
  docker buildx imagetools create -t "$tag" -t "$BASE_IMAGE:latest" "$tag-amd64" "$tag-arm64" >&2
  echo "$tag"
}

# ---- the two-node BuildKit builder -------------------------------------------------------------

go_binary() { command -v go 2>/dev/null || { [[ -x /usr/local/go/bin/go ]] && echo /usr/local/go/bin/go; }; }

# The buildkitd to run, on stdout; built with go install when there is none.
buildkitd_binary() {
  local go
  if [[ -x $BK/bin/buildkitd ]]; then echo "$BK/bin/buildkitd"; return 0; fi
  if command -v buildkitd 2>/dev/null; then return 0; fi
  go=$(go_binary) || die "no buildkitd, and no Go to build it with; install Go (https://go.dev/dl/) or put buildkitd on PATH"
  mkdir -p "$BK/bin"
  say "engine: building buildkitd $BUILDKIT_VERSION with go install into $BK/bin (minutes, once)"
  with_progress "go install buildkitd" "$BK/go-install.log" env GOBIN="$BK/bin" "$go" install "github.com/moby/buildkit/cmd/buildkitd@$BUILDKIT_VERSION" ||
    die "go install github.com/moby/buildkit/cmd/buildkitd@$BUILDKIT_VERSION failed (Go module proxy $("$go" env GOPROXY) unreachable?): $(tail -n 2 "$BK/go-install.log" | tr '\n' ' ')"
  rm -f "$BK/go-install.log"
  echo "$BK/bin/buildkitd"
}

# Exit 0 when `nodes up` can run here (buildkitd there, or Go and the module proxy to build it); else one line why.
cmd_nodes_check() {
  local go
  [[ $(id -u) -eq 0 ]] || die "the BuildKit nodes run as root; run: sudo $0 nodes up"
  alive "$E/run/dockerd.pid" || docker info >/dev/null 2>&1 || die "no docker engine is running; run: $0 up"
  if [[ -x $BK/bin/buildkitd ]] || command -v buildkitd >/dev/null 2>&1; then say "buildkitd: there"; return 0; fi
  go=$(go_binary) || die "no buildkitd, and no Go to build it with; install Go (https://go.dev/dl/) or put buildkitd on PATH"
  (cd / && timeout 60 "$go" list -m "github.com/moby/buildkit@$BUILDKIT_VERSION" >/dev/null 2>&1) ||
    die "no buildkitd, and the Go module proxy ($("$go" env GOPROXY)) does not serve github.com/moby/buildkit@$BUILDKIT_VERSION"
  say "buildkitd: not built yet; nodes up builds it with $go"
}

start_buildkitd() {
  local bin=$1 arch=$2 pidfile=$BK/run/$arch.pid sock=$BK/run/$arch.sock i
  alive "$pidfile" && return 0
  rm -f "$sock"
  mkdir -p "$BK/state/$arch/tmp"
  # runc comes from the host (/usr/sbin); --debug logs each build step the node runs. TMPDIR: its
  # buildkit-mount* folders, left behind when the node is stopped, go with the state at `nodes down`.
  PATH=/usr/local/sbin:/usr/sbin:/sbin:$PATH TMPDIR="$BK/state/$arch/tmp" setsid "$bin" --debug --root "$BK/state/$arch" --addr "unix://$sock" \
    --config "$BK/buildkitd.toml" --oci-worker=true --containerd-worker=false --oci-worker-net=host \
    --oci-worker-platform "linux/$arch" >"$BK/log/$arch.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for i in $(seq 1 150); do
    [[ -S $sock ]] && return 0
    kill -0 "$(cat "$pidfile")" 2>/dev/null || die "buildkitd ($arch) exited at start: $(tail -n 3 "$BK/log/$arch.log" | tr '\n' ' ')"
    sleep 0.2
  done
  die "buildkitd ($arch) made no socket within 30 s; see $BK/log/$arch.log"
}

cmd_nodes_up() {
  [[ $(id -u) -eq 0 ]] || die "the BuildKit nodes run as root; run: sudo $0 nodes up"
  local envs; envs=$(cmd_env) || exit 1; eval "$envs"
  local bin arch
  bin=$(buildkitd_binary)
  ensure_binfmt
  mkdir -p "$BK/run" "$BK/log"
  printf '# The registry of tools/docker-engine/engine.sh speaks plain HTTP.\n[registry."localhost:5001"]\n  http = true\n[registry."%s"]\n  http = true\n' \
    "$REGISTRY_ADDR" >"$BK/buildkitd.toml"
  for arch in "${NODE_ARCHES[@]}"; do start_buildkitd "$bin" "$arch"; done
  if ! docker buildx inspect "$NODES_BUILDER" >/dev/null 2>&1; then
    docker buildx create --name "$NODES_BUILDER" --node "$NODES_BUILDER-amd64" --driver remote --platform linux/amd64 "unix://$BK/run/amd64.sock" >/dev/null
    docker buildx create --name "$NODES_BUILDER" --append --node "$NODES_BUILDER-arm64" --platform linux/arm64 "unix://$BK/run/arm64.sock" >/dev/null
  fi
  docker buildx inspect --bootstrap "$NODES_BUILDER" >/dev/null || die "the builder $NODES_BUILDER does not answer; see $BK/log/"
  say "engine: builder $NODES_BUILDER up: nodes $NODES_BUILDER-amd64 (linux/amd64) and $NODES_BUILDER-arm64 (linux/arm64 through qemu); logs in $BK/log"
  echo "export BUILDX_BUILDER=$NODES_BUILDER"
}

cmd_nodes_down() {
  local envs m arch
  if envs=$(cmd_env 2>/dev/null); then
    eval "$envs"
    docker buildx rm "$NODES_BUILDER" >/dev/null 2>&1 || true
  fi
  for arch in "${NODE_ARCHES[@]}"; do stop_pid "$BK/run/$arch.pid"; done
  for m in $(awk -v b="$BK/" 'index($2, b) == 1 {print $2}' /proc/mounts | sort -r); do umount "$m" 2>/dev/null || umount -l "$m"; done
  rm -rf "${BK:?}/state" "${BK:?}/run" "${BK:?}/log" "${BK:?}/buildkitd.toml"
  say "engine: builder $NODES_BUILDER removed, its daemons stopped"
}

cmd_nodes_status() {
  local arch up=0
  for arch in "${NODE_ARCHES[@]}"; do
    if alive "$BK/run/$arch.pid"; then say "buildkitd $arch: running (pid $(cat "$BK/run/$arch.pid"), socket $BK/run/$arch.sock)"; else say "buildkitd $arch: not running"; up=1; fi
  done
  return $up
}

cmd_nodes() {
  case "${1:-}" in
    up) cmd_nodes_up ;;
    down) cmd_nodes_down ;;
    status) cmd_nodes_status ;;
    check) cmd_nodes_check ;;
    *) die "usage: $0 nodes up|down|status|check" ;;
  esac
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  base) cmd_base ;;
  nodes) cmd_nodes "${2:-}" ;;
  *) die "usage: $0 up|base|env|status|down|nodes" ;;
esac
