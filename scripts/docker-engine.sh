#!/usr/bin/env bash
# Makes a Docker engine answer on this machine, for the Docker connector runtime and its tests.
# Idempotent: installs Debian's docker.io only when dockerd is missing, starts dockerd only when
# `docker info` does not answer, then waits until it does. Exits non-zero with a reason otherwise.
# Why these dockerd flags: this machine has no iptables/bridge support and a filesystem overlayfs
# cannot stack on, so containers run with network none|host on the vfs storage driver.
set -euo pipefail
LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
WAIT_SECONDS="${DOCKERD_WAIT_SECONDS:-60}"

fail() { echo "docker-engine: $*" >&2; exit 1; }

answers() { docker info >/dev/null 2>&1; }

install_engine() {
  command -v dockerd >/dev/null && return 0
  [ "$(id -u)" = 0 ] || fail "dockerd is missing and installing it needs root"
  command -v apt-get >/dev/null || fail "dockerd is missing and apt-get is not available"
  echo "docker-engine: installing docker.io" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends docker.io >&2 || fail "apt-get install docker.io failed"
  command -v dockerd >/dev/null || fail "docker.io installed but dockerd is not on PATH"
}

start_engine() {
  echo "docker-engine: starting dockerd (log: $LOG)" >&2
  nohup dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs \
    >"$LOG" 2>&1 </dev/null &
}

wait_until_answering() {
  local deadline=$((SECONDS + WAIT_SECONDS))
  until answers; do
    [ "$SECONDS" -lt "$deadline" ] || fail "dockerd did not answer within ${WAIT_SECONDS}s; last log lines:
$(tail -n 20 "$LOG" 2>/dev/null)"
    sleep 0.5
  done
}

command -v docker >/dev/null || fail "the docker CLI is missing"
answers && exit 0
install_engine
# A dockerd that runs but does not answer yet (just started by someone else) only needs waiting.
pgrep -x dockerd >/dev/null || start_engine
wait_until_answering
echo "docker-engine: ready ($(docker version --format '{{.Server.Version}}'))" >&2
