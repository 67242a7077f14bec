#!/usr/bin/env bash
# Re-plan the synth template over existing infrastructure, into template-existing.json:
# bench/synth's configuration (2 spokes) is applied to a local moto server, then planned
# again with existing/change.tf added (one more blackhole route at the hub), so every spoke
# resource is a `no-op` with its real IDs in `prior_state`.
#
#   bash bench/synth/regen-existing.sh
#
# Runs testdata/regen-existing.sh (moto, its patches, terraform: see there) on a scenario
# assembled in a temp dir: base/ = main.tf, modules/ and existing/provider.tf; the changed
# configuration = the same plus existing/change.tf.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

scenario="$work/synth-existing"
mkdir -p "$scenario/base"
cp "$here/main.tf" "$here/existing/provider.tf" "$scenario/base/"
cp -R "$here/modules" "$scenario/base/modules"
cp "$here/main.tf" "$here/existing/provider.tf" "$here/existing/change.tf" "$scenario/"
cp -R "$here/modules" "$scenario/modules"
bash "$root/testdata/regen-existing.sh" "$scenario"
python3 -m json.tool --indent 1 "$scenario/plan.json" >"$here/template-existing.json"
echo "wrote $here/template-existing.json"
