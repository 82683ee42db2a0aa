#!/usr/bin/env bash
# Puts the `preflight` binary on the runner for action.yml.
#
#   install.sh locate    picks the binary (a release asset for this runner's
#                        OS and architecture, or a build from source) and
#                        writes `key`, `dir` and `bin` to GITHUB_OUTPUT for
#                        the cache step
#   install.sh install   downloads the release asset and checks its SHA-256
#                        against the release's SHA256SUMS, or, where no
#                        release binary fits, runs `cargo install --locked`
#                        from the action's own folder
#
# The release is the one of the action's own version: `version` and
# `repository` in the action's Cargo.toml. A local action (`uses: ./`, the
# code under test) is always built from source.
set -euo pipefail

action_path=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set; run this from action.yml}
manifest="$action_path/Cargo.toml"

fail() {
  echo "::error title=issue-preflight::$*"
  exit 1
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{ print $1 }'
  else
    shasum -a 256 "$1" | awk '{ print $1 }'
  fi
}

# The value of KEY = "…" in the [package] table of the action's Cargo.toml.
package_field() {
  awk -v key="$1" '
    /^\[/ { in_package = ($0 == "[package]"); next }
    in_package && $1 == key {
      sub(/^[^=]*=[ \t]*"/, ""); sub(/".*$/, ""); print; exit
    }
  ' "$manifest"
}

# Rust target of the release asset for a runner, or nothing.
target_for() {
  case "$1/$2" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo "" ;;
  esac
}

# A digest of the sources, so that a source build is cached per change.
source_digest() {
  (
    cd "$action_path"
    find Cargo.toml Cargo.lock src templates -type f 2>/dev/null | LC_ALL=C sort |
      while IFS= read -r f; do printf '%s  %s\n' "$(sha256_of "$f")" "$f"; done
  ) > "${RUNNER_TEMP:-/tmp}/preflight-sources.txt"
  sha256_of "${RUNNER_TEMP:-/tmp}/preflight-sources.txt" | cut -c1-16
}

is_local_action() {
  [ -n "${GITHUB_WORKSPACE:-}" ] && [ -d "$GITHUB_WORKSPACE" ] || return 1
  local here workspace
  here=$(cd "$action_path" && pwd -P)
  workspace=$(cd "$GITHUB_WORKSPACE" && pwd -P)
  case "$here/" in "$workspace/"*) return 0 ;; esac
  return 1
}

locate() {
  [ -f "$manifest" ] || fail "the action's Cargo.toml is missing at $manifest"
  local version repository target mode key exe
  version=$(package_field version)
  repository=$(package_field repository)
  [ -n "$version" ] || fail "no version in $manifest"
  target=$(target_for "${RUNNER_OS:-}" "${RUNNER_ARCH:-}")
  mode=release
  if [ -z "$target" ] || [ -z "$repository" ] || is_local_action; then
    mode=source
  fi
  if [ "$mode" = release ]; then
    key="v$version-$target"
  else
    key="source-$(source_digest)-${RUNNER_OS:-unknown}-${RUNNER_ARCH:-unknown}"
  fi
  exe=preflight
  [ "${RUNNER_OS:-}" = Windows ] && exe=preflight.exe
  {
    echo "version=$version"
    echo "repository=$repository"
    echo "target=$target"
    echo "mode=$mode"
    echo "key=issue-preflight-$key"
    # actions/cache expands `~` itself; this script uses $HOME.
    echo "cache-path=~/.issue-preflight/$key"
    echo "dir=$HOME/.issue-preflight/$key"
    echo "bin=$HOME/.issue-preflight/$key/bin/$exe"
  } >> "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
}

# Downloads and checks the release asset; returns 1 when there is none to
# use (then the caller builds from source). A checksum that does not match
# ends the run: that file is not the one released.
from_release() {
  local base asset tmp expected actual
  base="${PREFLIGHT_REPOSITORY%/}/releases/download/v$PREFLIGHT_VERSION"
  asset="preflight-$PREFLIGHT_TARGET.tar.gz"
  tmp=$(mktemp -d)
  if ! curl --fail --silent --show-error --location --retry 3 \
    --output "$tmp/$asset" "$base/$asset"; then
    echo "::notice title=issue-preflight::no release binary $asset for v$PREFLIGHT_VERSION; building preflight from source"
    return 1
  fi
  curl --fail --silent --show-error --location --retry 3 \
    --output "$tmp/SHA256SUMS" "$base/SHA256SUMS" ||
    fail "release v$PREFLIGHT_VERSION has $asset but no SHA256SUMS to check it against; refusing to run it"
  expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")
  [ -n "$expected" ] || fail "SHA256SUMS of release v$PREFLIGHT_VERSION has no line for $asset; refusing to run it"
  actual=$(sha256_of "$tmp/$asset")
  [ "$actual" = "$expected" ] ||
    fail "SHA-256 of $asset is $actual but SHA256SUMS says $expected; refusing to run it"
  # The archive holds one folder, preflight-TARGET/, with the binary, its
  # completions and manual pages (.github/release/package.sh).
  mkdir -p "$tmp/unpacked" "$PREFLIGHT_DIR/bin"
  tar -xzf "$tmp/$asset" -C "$tmp/unpacked"
  local exe
  exe=$(basename "$PREFLIGHT_BIN")
  [ -f "$tmp/unpacked/preflight-$PREFLIGHT_TARGET/$exe" ] ||
    fail "$asset holds no preflight-$PREFLIGHT_TARGET/$exe"
  cp "$tmp/unpacked/preflight-$PREFLIGHT_TARGET/$exe" "$PREFLIGHT_BIN"
  chmod +x "$PREFLIGHT_BIN"
  rm -rf "$tmp"
  echo "installed preflight v$PREFLIGHT_VERSION ($PREFLIGHT_TARGET), SHA-256 $actual"
}

from_source() {
  command -v cargo >/dev/null 2>&1 ||
    fail "building preflight from source needs cargo, which this runner lacks; install a Rust toolchain first (e.g. dtolnay/rust-toolchain)"
  cargo install --locked --path "$action_path" --root "$PREFLIGHT_DIR" --bin preflight
  [ -f "$PREFLIGHT_BIN" ] || fail "cargo install did not produce $PREFLIGHT_BIN"
}

install() {
  : "${PREFLIGHT_DIR:?}" "${PREFLIGHT_BIN:?}" "${PREFLIGHT_MODE:?}"
  if [ "$PREFLIGHT_MODE" = release ] && from_release; then
    return
  fi
  from_source
}

case "${1:-}" in
  locate) locate ;;
  install) install ;;
  *) fail "usage: install.sh locate|install" ;;
esac
