#!/usr/bin/env bash
# Builds the images Ferry's connectors run in, from material on this machine only (Docker Hub is
# unreachable, so nothing is pulled):
#   ferry/node-base:24        FROM scratch: the Node binary running Ferry, the shared libraries ldd lists
#                             for it, the dynamic loader, and a /tmp.
#   ferry/<dir>:<version>     every packages/connectors/<dir>/Dockerfile, built with the repo root as
#                             context, narrowed to that connector's runtime closure (scripts/image-context.ts)
#                             minus the exclusions of .dockerignore.
#   ferry/ferry:<version>     Ferry itself (deploy/Dockerfile, multi-stage), from services/ferry's production
#                             closure the same way; only when asked for by name (`ferry`).
# Idempotent: each image carries a label with the hash of its inputs; an image whose label matches is kept.
# Usage: scripts/build-images.sh [base | ferry | <connector dir>...]   (default: the base and every connector)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The Node that runs Ferry goes into the images: the one scripts/toolchain.sh put under .tools/, if any.
for bin in "$ROOT"/.tools/node_modules/node-*/bin; do [ -x "$bin/node" ] && PATH="$bin:$PATH"; done
BASE_IMAGE="ferry/node-base:24"
HASH_LABEL="ferry.content-hash"
NODE_BIN="$(node -p process.execPath)"
# The legacy builder: this CLI has no buildx plugin, and COPY-only images gain nothing from BuildKit.
export DOCKER_BUILDKIT=0

fail() { echo "build-images: $*" >&2; exit 1; }
sha() { sha256sum | cut -c1-64; }
label_of() { docker image inspect -f "{{index .Config.Labels \"$HASH_LABEL\"}}" "$1" 2>/dev/null || true; }

up_to_date() { # $1 image, $2 hash
  [ "$(label_of "$1")" = "$2" ] && echo "build-images: $1 is up to date" >&2
}

build() { # $1 image, $2 hash, then docker build arguments
  local image="$1" hash="$2" started=$SECONDS
  shift 2
  docker build -q -t "$image" --label "$HASH_LABEL=$hash" "$@" >/dev/null \
    2> >(grep -v -e DEPRECATED -e BuildKit -e environment-variable -e '^ *$' >&2)
  echo "build-images: built $image in $((SECONDS - started))s" >&2
}

# "<source> <path in the image>" for every file of the base image: ldd names the libraries and the loader.
base_files() {
  echo "$NODE_BIN /usr/local/bin/node"
  ldd "$NODE_BIN" | grep -o '/[^ ]*' | while read -r lib; do echo "$(readlink -f "$lib") $lib"; done
}

BASE_DOCKERFILE='FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin'

build_base() {
  local hash
  hash="$({ echo "$BASE_DOCKERFILE"; base_files | while read -r src dst; do echo "$dst $(sha <"$src")"; done; } | sha)"
  up_to_date "$BASE_IMAGE" "$hash" && return 0
  stage="$(mktemp -d)"
  trap 'rm -rf "$stage"' EXIT
  mkdir -m 1777 -p "$stage/rootfs/tmp"
  base_files | while read -r src dst; do install -D "$src" "$stage/rootfs$dst"; done
  echo "$BASE_DOCKERFILE" >"$stage/Dockerfile"
  build "$BASE_IMAGE" "$hash" "$stage"
}

# .dockerignore's exclusions in tar's unanchored form; its whitelist is what image-context.ts computes.
tar_exclusions() { grep -v -e '^#' -e '^!' -e '^\*$' -e '^$' "$ROOT/.dockerignore" | sed 's#^\*\*/##'; }

# A reproducible tar (sorted, fixed times and owners), so that its hash names its content. Further paths
# (a Dockerfile outside the package) may follow the package directory.
context_tar() {
  (cd "$ROOT" && node scripts/image-context.ts "$1" && printf '%s\n' "${@:2}") |
    tar -C "$ROOT" -c --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
      --exclude-from=<(tar_exclusions) -T -
}

build_connector() {
  local dir="packages/connectors/$1" version hash
  [ -f "$ROOT/$dir/Dockerfile" ] || fail "$dir/Dockerfile not found"
  version="$(node -p "require('$ROOT/$dir/package.json').version")"
  hash="$({ docker image inspect -f '{{.Id}}' "$BASE_IMAGE"; context_tar "$dir" | sha; } | sha)"
  up_to_date "ferry/$1:$version" "$hash" && return 0
  context_tar "$dir" | build "ferry/$1:$version" "$hash" -f "$dir/Dockerfile" -
}

build_ferry() {
  local version hash image
  version="$(node -p "require('$ROOT/services/ferry/package.json').version")"
  image="ferry/ferry:$version"
  # The web console's build (services/console/dist) goes into the image with the gateway that serves it.
  node "$ROOT/services/console/build.ts"
  hash="$({ docker image inspect -f '{{.Id}}' "$BASE_IMAGE"; context_tar services/ferry deploy/Dockerfile | sha; } | sha)"
  up_to_date "$image" "$hash" && return 0
  # RUN steps need a network mode this engine has (no bridge); they use no network.
  context_tar services/ferry deploy/Dockerfile | build "$image" "$hash" --network host -f deploy/Dockerfile -
  echo "build-images: $image is $(docker image inspect -f '{{.Size}}' "$image" | numfmt --to=iec)" >&2
}

all_connectors() { for f in "$ROOT"/packages/connectors/*/Dockerfile; do [ -f "$f" ] && basename "$(dirname "$f")"; done; }

docker info >/dev/null 2>&1 || fail "no Docker engine answers (start one with scripts/docker-engine.sh)"
# One run at a time on this machine: the legacy builder labels intermediate images too, so the prune at the
# end of a run would remove the newest intermediate image of a build still going on in another run.
exec 9>"${TMPDIR:-/tmp}/ferry-build-images.lock"
flock 9
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(echo base; all_connectors)
build_base
for target in "${targets[@]}"; do
  case "$target" in
    base) ;;
    ferry) build_ferry ;;
    *) build_connector "$target" ;;
  esac
done
# Rebuilt images leave their predecessors untagged; vfs keeps full copies, so drop ours.
docker image prune -f --filter "label=$HASH_LABEL" >/dev/null
