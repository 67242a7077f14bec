#!/usr/bin/env bash
# Plans with N unresolved links of each kind (see main.tf), written by real terraform, and
# what `tfvpc analyze --format sarif` takes on each: wall time and peak RSS. Doubling N
# should about double both.
#
#   bash bench/unresolved/run.sh            # N = 200 400 800 (terraform's range() stops at 1,024)
#   SIZES="100 200" bash bench/unresolved/run.sh
#
# Needs terraform and the aws provider in $TF_PLUGIN_DIR (default /opt/tf-plugins), python3
# and /usr/bin/time. Plans go to bench/out/unresolved-N.json (gitignored); terraform's
# plan takes minutes at 800.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/out"
mkdir -p "$out"
sizes="${SIZES:-200 400 800}"
plugin_dir="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc"
cp -r "$here/main.tf" "$here/providers.tf" "$here/modules" "$work/"
(cd "$root" && cargo build --profile dist --bin tfvpc -q)
(cd "$work" && terraform init -plugin-dir="$plugin_dir" -input=false -no-color >/dev/null)
printf '| N | plan MB | analyze s | peak RSS MB |\n|---:|---:|---:|---:|\n'
for n in $sizes; do
  plan="$out/unresolved-$n.json"
  if [[ ! -s "$plan" ]]; then
    (cd "$work" && terraform plan -refresh=false -input=false -lock=false -no-color \
      -var "n=$n" -out=plan.bin >/dev/null && terraform show -json plan.bin) >"$plan.tmp"
    mv "$plan.tmp" "$plan"
  fi
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$root/target/dist/tfvpc" analyze "$plan" \
    --format sarif --output "$work/out.sarif" --fail-on never
  end=$(date +%s.%N)
  python3 - "$plan" "$start" "$end" "$work/rss" "$n" <<'PY'
import os, sys
plan, start, end, rss, n = sys.argv[1:]
mb = os.path.getsize(plan) / 1e6
kb = int(open(rss).read().split()[-1])
print(f"| {n} | {mb:.1f} | {float(end) - float(start):.3f} | {kb / 1024:.1f} |")
PY
done
