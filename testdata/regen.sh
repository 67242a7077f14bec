#!/usr/bin/env bash
# Regenerate testdata/<scenario>/plan.json with real terraform, offline.
#
#   bash testdata/regen.sh                 # every scenario
#   bash testdata/regen.sh peering vpn     # only these (names or paths)
#
# Create-only scenarios: the scenario's files are copied to a temporary directory, then
#   terraform init -plugin-dir=$TF_PLUGIN_DIR ; terraform plan -refresh=false -out=plan.bin ;
#   terraform show -json plan.bin > <scenario>/plan.json
# so .terraform/, the lock file and plan.bin never land in testdata.
# Scenarios over existing infrastructure (a dir with a base/ subfolder) are handed to
# regen-existing.sh, which belongs to those scenarios.
#
# Environment: TERRAFORM (default: terraform), TF_PLUGIN_DIR (default: /opt/tf-plugins).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
terraform_bin="${TERRAFORM:-terraform}"
plugin_dir="${TF_PLUGIN_DIR:-/opt/tf-plugins}"

export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

tmp_root="$(mktemp -d)"
trap 'rm -rf "$tmp_root"' EXIT
# An empty CLI config: no warning about a missing ~/.terraformrc, no user plugin cache or
# mirror that could change which provider is used.
: >"$tmp_root/terraformrc"
export TF_CLI_CONFIG_FILE="$tmp_root/terraformrc"

has_tf() { compgen -G "$1/*.tf" >/dev/null; }

# Note: called as `regen_create_only dir || ...`, where bash ignores `set -e`, so every
# step checks its own status.
regen_create_only() {
  local dir="$1" name work
  name="$(basename "$dir")"
  work="$(mktemp -d "$tmp_root/$name.XXXXXX")" || return 1
  # Copy the configuration (incl. local modules), never generated files.
  (cd "$dir" && tar --exclude=.terraform --exclude=.terraform.lock.hcl --exclude=plan.bin \
    --exclude=plan.json --exclude='*.tfstate*' -cf - .) | (cd "$work" && tar -xf -) || return 1
  if ! (cd "$work" && "$terraform_bin" init -plugin-dir="$plugin_dir" -input=false -no-color) \
    >"$work/init.log" 2>&1; then
    cat "$work/init.log" >&2
    return 1
  fi
  if ! (cd "$work" && "$terraform_bin" plan -refresh=false -input=false -lock=false -no-color \
    -out=plan.bin) >"$work/plan.log" 2>&1; then
    cat "$work/plan.log" >&2
    return 1
  fi
  (cd "$work" && "$terraform_bin" show -json plan.bin) >"$work/plan.json" || return 1
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/plan.json" || return 1
  mv "$work/plan.json" "$dir/plan.json" || return 1
  rm -rf "$work"
}

dirs=()
if (($# > 0)); then
  for arg in "$@"; do
    arg="${arg%/}"
    if [[ -d "$here/$arg" ]]; then
      dirs+=("$here/$arg")
    elif [[ -d "$arg" ]]; then
      dirs+=("$(cd "$arg" && pwd)")
    else
      echo "regen.sh: no scenario '$arg' under $here" >&2
      exit 2
    fi
  done
else
  for d in "$here"/*/; do
    dirs+=("${d%/}")
  done
fi

failed=()
for dir in "${dirs[@]}"; do
  name="$(basename "$dir")"
  start=$SECONDS
  if [[ -d "$dir/base" ]]; then
    if [[ -f "$here/regen-existing.sh" ]]; then
      echo "== $name (existing infrastructure, via regen-existing.sh)"
      bash "$here/regen-existing.sh" "$dir" || failed+=("$name")
    else
      echo "== $name: skipped, has base/ but $here/regen-existing.sh is missing" >&2
    fi
  elif has_tf "$dir"; then
    echo "== $name"
    regen_create_only "$dir" || failed+=("$name")
  else
    continue
  fi
  echo "   $((SECONDS - start))s"
done

if ((${#failed[@]} > 0)); then
  echo "regen.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "regen.sh: done in ${SECONDS}s"
