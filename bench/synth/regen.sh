#!/usr/bin/env bash
# Re-plan the synth template with real terraform, offline, into template.json:
#
#   bash bench/synth/regen.sh            # 2 spokes -> bench/synth/template.json
#   bash bench/synth/regen.sh 3 OUT.json # 3 spokes -> OUT.json (to check the generator)
#
# Environment: TERRAFORM (default: terraform), TF_PLUGIN_DIR (default: /opt/tf-plugins).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
spokes="${1:-2}"
out="${2:-$here/template.json}"
terraform_bin="${TERRAFORM:-terraform}"
plugin_dir="${TF_PLUGIN_DIR:-/opt/tf-plugins}"

export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc"

(cd "$here" && tar --exclude=template.json --exclude=regen.sh -cf - .) | (cd "$work" && tar -xf -)
(cd "$work" && "$terraform_bin" init -plugin-dir="$plugin_dir" -input=false -no-color) >"$work/init.log" 2>&1 \
  || { cat "$work/init.log" >&2; exit 1; }
(cd "$work" && "$terraform_bin" plan -refresh=false -input=false -lock=false -no-color \
  -var "spokes=$spokes" -out=plan.bin) >"$work/plan.log" 2>&1 \
  || { cat "$work/plan.log" >&2; exit 1; }
(cd "$work" && "$terraform_bin" show -json plan.bin) >"$work/plan.json"
python3 -m json.tool --indent 1 "$work/plan.json" >"$out"
echo "wrote $out ($spokes spokes)"
