#!/usr/bin/env bash
# Plans with N unresolved links of each kind, written by real terraform, and what
# `tfvpc analyze --format sarif` takes on each: wall time and peak RSS. Doubling N should
# about double both (for vpn, whose answers grow with N², about quadruple). Three
# configurations:
#   net  main.tf:    associations, NACL and group rules, routes, gateway endpoints, TGW
#                    routes, associations and propagations through `module.net[each.key]`
#   lb   lb/main.tf: listeners, listener rules and target group attachments through
#                    `local` maps of module outputs
#   vpn  vpn/main.tf: VGW propagations, VPN connection routes, group attachments, endpoint
#                    and edge associations through `module.net[each.key]`
#
#   bash bench/unresolved/run.sh            # all three, N = 200 400 800 (terraform's range() stops at 1,024)
#   SIZES="100 200" CONFIGS=lb bash bench/unresolved/run.sh
#
# Needs terraform and the aws provider in $TF_PLUGIN_DIR (default /opt/tf-plugins), python3
# and /usr/bin/time. Plans go to bench/out/unresolved-N.json, unresolved-lb-N.json and
# unresolved-vpn-N.json
# (gitignored); terraform's plan takes minutes at 800.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/bench/out"
mkdir -p "$out"
sizes="${SIZES:-200 400 800}"
configs="${CONFIGS:-net lb vpn}"
plugin_dir="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
: >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc"
(cd "$root" && cargo build --profile dist --bin tfvpc -q)
printf '| config | N | plan MB | analyze s | peak RSS MB |\n|---|---:|---:|---:|---:|\n'
for config in $configs; do
  case "$config" in
    net) src="$here" prefix="unresolved" ;;
    lb) src="$here/lb" prefix="unresolved-lb" ;;
    vpn) src="$here/vpn" prefix="unresolved-vpn" ;;
    *) echo "unknown configuration $config (net, lb or vpn)" >&2; exit 2 ;;
  esac
  dir="$work/$config"
  mkdir -p "$dir"
  cp -r "$src/main.tf" "$src/modules" "$dir/"
  cp "$here/providers.tf" "$dir/"
  (cd "$dir" && terraform init -plugin-dir="$plugin_dir" -input=false -no-color >/dev/null)
  for n in $sizes; do
    plan="$out/$prefix-$n.json"
    if [[ ! -s "$plan" ]]; then
      (cd "$dir" && terraform plan -refresh=false -input=false -lock=false -no-color \
        -var "n=$n" -out=plan.bin >/dev/null && terraform show -json plan.bin) >"$plan.tmp"
      mv "$plan.tmp" "$plan"
    fi
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/rss" "$root/target/dist/tfvpc" analyze "$plan" \
      --format sarif --output "$work/out.sarif" --fail-on never
    end=$(date +%s.%N)
    python3 - "$plan" "$start" "$end" "$work/rss" "$n" "$config" <<'PY'
import os, sys
plan, start, end, rss, n, config = sys.argv[1:]
mb = os.path.getsize(plan) / 1e6
kb = int(open(rss).read().split()[-1])
print(f"| {config} | {n} | {mb:.1f} | {float(end) - float(start):.3f} | {kb / 1024:.1f} |")
PY
  done
done
