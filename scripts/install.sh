#!/usr/bin/env bash
# Finds the tfvpc binary for this runner: $TFVPC_BIN if set, else the release asset for the
# pinned version (checksum verified), else asks the next steps to build it from the action's
# source (outputs build=true with a cache key). Outputs: bin, build, install-root, cache-key.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

action_path=${GITHUB_ACTION_PATH:-"$(cd "$here/.." && pwd)"}
tmp_root=${RUNNER_TEMP:-${TMPDIR:-/tmp}}

if [[ -n ${TFVPC_BIN:-} ]]; then
  if [[ ! -x $TFVPC_BIN ]]; then
    echo "::error::TFVPC_BIN=$(escape_data "$TFVPC_BIN") is not an executable file"
    exit 2
  fi
  echo "Using tfvpc from TFVPC_BIN"
  set_output bin "$TFVPC_BIN"
  set_output build false
  exit 0
fi

# The version: the input, else the one in the action's own Cargo.toml ([package] comes first).
version=${TFVPC_VERSION:-}
version=${version#v}
if [[ -z $version ]]; then
  version=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$action_path/Cargo.toml" | head -n1)
fi
if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
  echo "::error::version '$(escape_data "$version")' is not a release version like 0.1.0"
  exit 2
fi

case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) target=x86_64-unknown-linux-musl ;;
  Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-musl ;;
  Darwin/x86_64) target=x86_64-apple-darwin ;;
  Darwin/arm64 | Darwin/aarch64) target=aarch64-apple-darwin ;;
  *) target= ;;
esac

# github.action_repository is empty for `uses: ./`; then the crate's repository URL decides.
repo=${TFVPC_ACTION_REPOSITORY:-}
if [[ -z $repo ]]; then
  repo=$(sed -n 's|^repository *= *"https://github.com/\([^"]*\)".*|\1|p' "$action_path/Cargo.toml" | head -n1)
fi
repo=${repo%.git}

install_root="$tmp_root/tfvpc-$version"
name="tfvpc-v$version-$target"
if [[ -n $target && $repo =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] && command -v curl >/dev/null 2>&1; then
  url="https://github.com/$repo/releases/download/v$version/$name.tar.gz"
  mkdir -p "$install_root"
  if curl -fsSL --proto '=https' --tlsv1.2 --retry 3 -o "$install_root/$name.tar.gz" "$url" &&
    curl -fsSL --proto '=https' --tlsv1.2 --retry 3 -o "$install_root/$name.tar.gz.sha256" "$url.sha256"; then
    expected=$(cut -d' ' -f1 <"$install_root/$name.tar.gz.sha256")
    actual=$(sha256_file "$install_root/$name.tar.gz")
    if [[ -z $expected || $expected != "$actual" ]]; then
      # A wrong checksum is an attack or a broken release, never a reason to build instead.
      echo "::error::checksum mismatch for $url (expected $expected, got $actual)"
      exit 2
    fi
    tar -xzf "$install_root/$name.tar.gz" -C "$install_root"
    bin="$install_root/$name/tfvpc"
    [[ -x $bin ]] || { echo "::error::$url holds no $name/tfvpc"; exit 2; }
    echo "Using tfvpc $version ($target) from the release, sha256 $actual"
    set_output bin "$bin"
    set_output build false
    exit 0
  fi
  echo "::notice::no tfvpc v$version release asset for $target; building from the action's source"
elif [[ -z $target ]]; then
  echo "::notice::no prebuilt tfvpc for $(uname -s)/$(uname -m); building from the action's source"
else
  echo "::notice::no release to download from (repository '$(escape_data "$repo")', curl $(command -v curl >/dev/null && echo present || echo missing)); building from the action's source"
fi

# Build fallback: cache key from the source itself (the action may be a branch or `./`).
src_hash=$(
  cd "$action_path"
  find Cargo.toml Cargo.lock src -type f -print | LC_ALL=C sort | while IFS= read -r f; do
    printf '%s  %s\n' "$(sha256_file "$f")" "$f"
  done | sha256_stdin
)
build_root="$tmp_root/tfvpc-build"
set_output bin "$build_root/bin/tfvpc"
set_output build true
set_output install-root "$build_root"
set_output cache-key "tfvpc-bin-$(uname -s)-$(uname -m)-$src_hash"
