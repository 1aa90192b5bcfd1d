#!/usr/bin/env bash
# Brings the toolchain Ferry needs into .tools/ when the machine lacks it, then installs dependencies.
# Why: Ferry runs TypeScript directly on Node >= 22.18 (type stripping, node:sqlite); many machines
# still have an older system Node, which we must never replace. Everything lands inside the repo.
# Sourced by scripts/ferry; prints nothing on the happy path except what npm/pnpm say on first run.
set -euo pipefail
FERRY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$FERRY_ROOT/.tools"
NODE_PKG_VERSION="24.22.3"
PNPM_VERSION="10"

node_is_recent() { # $1 = node binary; true when >= 22.18. `node -v` runs no JavaScript: ~10 ms, not ~100.
  local version major minor
  version="$("$1" -v 2>/dev/null)" || return 1
  version="${version#v}" major="${version%%.*}" minor="${version#*.}" minor="${minor%%.*}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  [ "$major" -gt 22 ] || { [ "$major" -eq 22 ] && [ "$minor" -ge 18 ]; }
}

platform_package() {
  local os arch
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "unsupported OS $(uname -s)" >&2; return 1 ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "unsupported CPU $(uname -m)" >&2; return 1 ;; esac
  echo "node-$os-$arch"
}

ensure_node() {
  if command -v node >/dev/null && node_is_recent node; then return 0; fi
  local pkg; pkg="$(platform_package)"
  local bin="$TOOLS/node_modules/$pkg/bin"
  if [ ! -x "$bin/node" ]; then
    echo "ferry: installing Node $NODE_PKG_VERSION into .tools/ (system Node is $(node -v 2>/dev/null || echo absent))" >&2
    npm install --prefix "$TOOLS" --no-save --no-audit --no-fund --loglevel=error "$pkg@$NODE_PKG_VERSION" >&2
  fi
  export PATH="$bin:$PATH"
}

ensure_pnpm() {
  if command -v pnpm >/dev/null && [ "$(pnpm -v 2>/dev/null | cut -d. -f1)" = "$PNPM_VERSION" ]; then return 0; fi
  if [ ! -x "$TOOLS/pnpm/node_modules/.bin/pnpm" ]; then
    echo "ferry: installing pnpm $PNPM_VERSION into .tools/" >&2
    npm install --prefix "$TOOLS/pnpm" --no-save --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$TOOLS/pnpm/node_modules/.bin:$PATH"
}

ensure_dependencies() {
  local stamp="$FERRY_ROOT/node_modules/.ferry-lock"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$FERRY_ROOT/pnpm-lock.yaml"; then return 0; fi
  (cd "$FERRY_ROOT" && pnpm install --frozen-lockfile) >&2
  cp "$FERRY_ROOT/pnpm-lock.yaml" "$stamp"
}

ensure_node
ensure_pnpm
ensure_dependencies
