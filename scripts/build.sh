#!/usr/bin/env bash
# Builds tfvpc from the action's own source when no release binary fits (a branch, `./`).
set -euo pipefail
root=${TFVPC_INSTALL_ROOT:?TFVPC_INSTALL_ROOT is not set}
action_path=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
if ! command -v cargo >/dev/null 2>&1; then
  echo "::error::no tfvpc release fits this runner and cargo is not installed to build one"
  exit 2
fi
cargo install --locked --profile dist --path "$action_path" --root "$root" --bin tfvpc
