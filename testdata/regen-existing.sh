#!/usr/bin/env bash
# Regenerate one "existing infrastructure" fixture of testdata/.
#
#   testdata/regen-existing.sh <scenario-dir>
#
# A scenario dir holds:
#   base/*.tf   the configuration applied first, to a local moto server;
#   *.tf        the changed configuration, planned against that state;
#   plan.json   written here: `terraform show -json` of that plan.
#   base/modules/, modules/  (optional) local modules of either configuration.
#   base/separate-state  (optional marker) base/ is another stack: its state is set aside
#               before the plan, so the changed configuration sees base/ only through data
#               sources.
# A scenario dir with base/ but NO top-level *.tf (testdata/state) gets state.json
# instead: `terraform show -json` of the state after applying (and refreshing) base/.
#
# Base outputs feed the changed configuration: after the base apply, every output whose
# name matches a `variable "<name>"` declared in the scenario's top-level *.tf is passed
# as -var (delete-eigw uses this to hard-code the real eigw-... ID of the applied base).
#
# After the base apply the state is refreshed once (apply -refresh-only), as it would be by any
# later real plan; the plan itself is then made with -refresh=false, so prior_state is exactly
# that refreshed state and the plan has no resource_drift section.
#
# Needs: terraform 1.11.x (TERRAFORM, default terraform), the AWS provider 5.100.0 as a plugin
# dir (TF_PLUGIN_DIR, default /opt/tf-plugins; the same variables as regen.sh), python3.
# Installs moto[server]==5.2.1 with pip when another version or none is installed.
# Contacts nothing but 127.0.0.1: moto runs there on port 5055 when that port is free, else on a
# free port (then an override file points the provider at it, and plan.json records that port).
# Set TFVPC_MOTO_URL=http://127.0.0.1:PORT to use a moto you started yourself (it must carry the
# patch below); it is reset, not stopped.
#
# moto patch: moto 5.2.1 renders a subnet's IPv6 CIDR association state as the Python dict
# "{'State': 'associated'}" instead of "associated" (moto/ec2/models/subnets.py,
# Subnet.ipv6_cidr_block_association_set), so the AWS provider waits 3 minutes for
# "associated" and fails on any aws_subnet with ipv6_cidr_block. The installed package is NOT
# edited: moto is started from a small launcher (written to the temp dir) that replaces that
# property with a fixed one before calling moto.server.main. The launcher also stops moto
# from associating a new transit gateway VPC attachment with the gateway's default route
# table when the gateway disables default association (the provider would wait for that
# association to go away, and time out). And it gives an instance launched on a network
# interface spec (the provider sends one for associate_public_ip_address) the groups of that
# interface, which upstream leaves out of the instance's own (the next plan would add them).
set -euo pipefail

MOTO_VERSION=5.2.1
DEFAULT_PORT=5055

die() { echo "regen-existing: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 <scenario-dir>"
[ -d "$1" ] || die "no such dir: $1"
scenario=$(cd "$1" && pwd)
name=$(basename "$scenario")
[ -d "$scenario/base" ] || die "$name has no base/ dir"
compgen -G "$scenario/base/*.tf" >/dev/null || die "$name/base has no .tf files"
plugin_dir=${TF_PLUGIN_DIR:-/opt/tf-plugins}
terraform_bin=${TERRAFORM:-terraform}
command -v "$terraform_bin" >/dev/null || die "$terraform_bin not found"
command -v python3 >/dev/null || die "python3 not found"

if ! python3 -c "import sys, moto, moto.server; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
  echo "regen-existing: installing moto[server]==$MOTO_VERSION" >&2
  python3 -m pip install -q "moto[server]==$MOTO_VERSION"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tfvpc-regen.XXXXXX")
moto_pid=""
cleanup() {
  local rc=$?
  if [ -n "$moto_pid" ]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  if [ $rc -ne 0 ] && [ -d "$work" ]; then
    for f in "$work"/*.log; do
      [ -f "$f" ] || continue
      echo "---- tail of $(basename "$f")" >&2
      tail -n 30 "$f" >&2
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Terraform: offline, no CLI config, no checkpoint (update check) calls, state in the temp dir.
export TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN TF_DATA_DIR TF_WORKSPACE || true

# ---- moto ---------------------------------------------------------------------------
cat >"$work/moto_patched.py" <<'PY'
"""moto_server with the subnet IPv6 association-state fix (see regen-existing.sh)."""
import sys

import moto.ec2.models.subnets as _subnets


def _ipv6_cidr_block_association_set(self):
    return [
        {
            "ipv6CidrBlock": a["ipv6CidrBlock"],
            "associationId": a["associationId"],
            # upstream: {"state": a["ipv6CidrBlockState"]}  -> "{'State': 'associated'}"
            "ipv6CidrBlockState": {"state": a["ipv6CidrBlockState"]["State"]},
        }
        for a in self.ipv6_cidr_block_associations.values()
        if a["ipv6CidrBlockState"]["State"] == "associated"
    ]


_subnets.Subnet.ipv6_cidr_block_association_set = property(_ipv6_cidr_block_association_set)

import moto.ec2.models.transit_gateway_attachments as _tgw_attachments  # noqa: E402

_create_vpc_attachment = (
    _tgw_attachments.TransitGatewayAttachmentBackend.create_transit_gateway_vpc_attachment
)


def _create_transit_gateway_vpc_attachment(self, transit_gateway_id, *args, **kwargs):
    # upstream associates every attachment with the default route table, even when the
    # transit gateway disables default association: the provider then waits for that
    # association to go away, forever.
    attachment = _create_vpc_attachment(self, transit_gateway_id, *args, **kwargs)
    tgw = self.transit_gateways[transit_gateway_id]
    table = attachment.transit_gateway_route_table
    if table is not None and tgw.options.get("DefaultRouteTableAssociation") == "disable":
        self.unset_route_table_association(table.id, tgw_attach_id=attachment.id)
        attachment.transit_gateway_route_table = None
    return attachment


_tgw_attachments.TransitGatewayAttachmentBackend.create_transit_gateway_vpc_attachment = (
    _create_transit_gateway_vpc_attachment
)

import moto.ec2.models.instances as _instances  # noqa: E402

_instance_init = _instances.Instance.__init__


def _instance_init_with_nic_groups(self, *args, **kwargs):
    # upstream keeps only the run request's own group lists: an instance launched on a
    # network interface spec (what the provider sends for associate_public_ip_address)
    # reads back no groups, and the next plan adds them as an update.
    _instance_init(self, *args, **kwargs)
    if not self.security_groups and 0 in self.nics:
        self.security_groups = list(self.nics[0]._group_set)


_instances.Instance.__init__ = _instance_init_with_nic_groups

from moto.server import main  # noqa: E402

main(sys.argv[1:])
PY

moto_reset() {
  python3 - "$1" <<'PY'
import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/moto-api/reset", method="POST"), timeout=5).read()
PY
}

if [ -n "${TFVPC_MOTO_URL:-}" ]; then
  case "$TFVPC_MOTO_URL" in
    http://127.0.0.1:*|http://localhost:*) ;;
    *) die "TFVPC_MOTO_URL must be a loopback URL" ;;
  esac
  moto_url=${TFVPC_MOTO_URL%/}
  moto_reset "$moto_url" || die "no moto answering at $moto_url"
else
  # Port 5055 when free, else any free port; retried if another process takes it first.
  for attempt in 1 2 3; do
    port=$(python3 - "$DEFAULT_PORT" "$attempt" <<'PY'
import socket, sys
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return s.getsockname()[1]
    except OSError:
        return None
    finally:
        s.close()
print((sys.argv[2] == "1" and free(int(sys.argv[1]))) or free(0))
PY
)
    python3 "$work/moto_patched.py" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
    moto_pid=$!
    # Ready once werkzeug says it listens (so we never reset someone else's moto on that port).
    for _ in $(seq 1 150); do
      grep -q "Running on http://127.0.0.1:$port" "$work/moto.log" 2>/dev/null && break
      kill -0 "$moto_pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$moto_pid" 2>/dev/null && grep -q "Running on http://127.0.0.1:$port" "$work/moto.log"; then
      break
    fi
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
    moto_pid=""
  done
  [ -n "$moto_pid" ] || die "could not start moto"
  moto_url="http://127.0.0.1:$port"
  moto_reset "$moto_url" || die "moto does not answer on $moto_url"
fi

# ---- terraform ----------------------------------------------------------------------
run="$work/run"
mkdir "$run"
cd "$run"

endpoint_override() {
  # The fixtures' provider.tf points at 127.0.0.1:5055; point it elsewhere when needed.
  [ "$moto_url" = "http://127.0.0.1:$DEFAULT_PORT" ] && return 0
  cat >"$run/zz_moto_endpoint_override.tf" <<EOF
provider "aws" {
  endpoints {
    ec2         = "$moto_url"
    sts         = "$moto_url"
    iam         = "$moto_url"
    rds         = "$moto_url"
    autoscaling = "$moto_url"
    elbv2       = "$moto_url"
  }
}
EOF
}

tf() { "$terraform_bin" "$@" -no-color; }

# A configuration's local modules (`source = "./modules/..."`) come along with its *.tf.
copy_modules() {
  rm -rf "$run/modules"
  if [ -d "$1/modules" ]; then cp -R "$1/modules" "$run/modules"; fi
}

cp "$scenario"/base/*.tf "$run/"
copy_modules "$scenario/base"
endpoint_override
tf init -plugin-dir="$plugin_dir" -input=false >"$work/init-base.log" 2>&1
tf apply -auto-approve -input=false >"$work/apply-base.log" 2>&1
# Refresh once, as any later real plan would: the state then holds what AWS (moto) reports,
# e.g. aws_route_table.route also lists the routes made by aws_route resources, NACL
# protocols read back as numbers ("tcp" -> "6"), the NAT gateway's EIP shows its association.
tf apply -refresh-only -auto-approve -input=false >"$work/refresh-base.log" 2>&1

valid_json() { python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$1"; }

if ! compgen -G "$scenario/*.tf" >/dev/null; then
  "$terraform_bin" show -json >"$work/state.json"
  valid_json "$work/state.json"
  mv "$work/state.json" "$scenario/state.json"
  echo "regen-existing: wrote $name/state.json"
  exit 0
fi

# Base outputs -> -var for the variables the changed configuration declares.
tf output -json >"$work/outputs.json"
mapfile -t var_args < <(python3 - "$work/outputs.json" "$scenario" <<'PY'
import glob, json, os, re, sys
outputs = json.load(open(sys.argv[1]))
declared = set()
for path in glob.glob(os.path.join(sys.argv[2], "*.tf")):
    declared |= set(re.findall(r'^\s*variable\s+"([^"]+)"', open(path).read(), re.M))
for name in sorted(declared & outputs.keys()):
    value = outputs[name]["value"]
    if not isinstance(value, str):
        value = json.dumps(value)
    print(f"-var={name}={value}")
PY
)

rm -f "$run"/*.tf
if [ -f "$scenario/base/separate-state" ]; then
  # base/ is another stack: the changed configuration starts from an empty state and sees
  # base/'s objects (still in moto) only through its data sources.
  mv "$run/terraform.tfstate" "$work/base.tfstate"
  rm -f "$run/terraform.tfstate.backup"
fi
cp "$scenario"/*.tf "$run/"
copy_modules "$scenario"
endpoint_override
tf init -plugin-dir="$plugin_dir" -input=false >"$work/init-change.log" 2>&1
tf plan -refresh=false -input=false "${var_args[@]}" -out="$work/plan.bin" >"$work/plan.log" 2>&1
"$terraform_bin" show -json "$work/plan.bin" >"$work/plan.json"
valid_json "$work/plan.json"
mv "$work/plan.json" "$scenario/plan.json"
echo "regen-existing: wrote $name/plan.json"
