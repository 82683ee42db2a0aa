#!/usr/bin/env bash
# Packages a release build of `preflight` for one Rust target, as the
# release workflow does on each runner (and as anyone can, on any machine):
#
#   cargo build --release --locked --target TARGET --bin preflight
#   .github/release/package.sh TARGET [DIST]
#
# writes DIST (default: dist)/preflight-TARGET.tar.gz and its sum file
# preflight-TARGET.tar.gz.sha256 (`sha256sum` format). The archive holds
# one folder, preflight-TARGET/, with:
#
#   preflight (preflight.exe on Windows)   the binary
#   README.md LICENSE-MIT LICENSE-APACHE
#   completions/  preflight.bash _preflight (zsh) preflight.fish
#                 _preflight.ps1 preflight.elv
#   man/          preflight.1 and a page a command (preflight-lint.1, …)
#
# Completions and pages come from the binary itself. A binary that cannot
# run here (another architecture) is replaced for that by PREFLIGHT_GEN, or
# else by a host build (`cargo run`).
set -euo pipefail

target=${1:?usage: package.sh TARGET [DIST]}
cd "$(dirname "$0")/../.."
dist=${2:-dist}

exe=preflight
case "$target" in *windows*) exe=preflight.exe ;; esac
bin="target/$target/release/$exe"
[ -f "$bin" ] || {
  echo "package.sh: $bin is missing; run: cargo build --release --locked --target $target --bin preflight" >&2
  exit 1
}

# What makes the completions and the manual.
gen=(${PREFLIGHT_GEN:+"$PREFLIGHT_GEN"})
if [ ${#gen[@]} -eq 0 ]; then
  if "$bin" --version >/dev/null 2>&1; then
    gen=("$bin")
  else
    echo "package.sh: $bin does not run on this machine; generating completions and pages with a host build" >&2
    gen=(cargo run --locked --quiet --bin preflight --)
  fi
fi

name="preflight-$target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/completions" "$root/man"

cp "$bin" "$root/$exe"
cp README.md LICENSE-MIT LICENSE-APACHE "$root/"
"${gen[@]}" completions bash >"$root/completions/preflight.bash"
"${gen[@]}" completions zsh >"$root/completions/_preflight"
"${gen[@]}" completions fish >"$root/completions/preflight.fish"
"${gen[@]}" completions powershell >"$root/completions/_preflight.ps1"
"${gen[@]}" completions elvish >"$root/completions/preflight.elv"
"${gen[@]}" --quiet man --dir "$root/man"

mkdir -p "$dist"
archive="$name.tar.gz"
tar -czf "$dist/$archive" -C "$stage" "$name"

if command -v sha256sum >/dev/null 2>&1; then
  (cd "$dist" && sha256sum "$archive" >"$archive.sha256")
else
  (cd "$dist" && shasum -a 256 "$archive" >"$archive.sha256")
fi
cat "$dist/$archive.sha256"
