#!/usr/bin/env bash
# Stands in for `tfvpc analyze` until the real one works: fixed reports with 1 error,
# 2 warnings, 1 note; the exit code follows --fail-on as the output contract says.
# Logs its arguments to $FAKE_TFVPC_LOG. Exit 2 when the plan is not a JSON object.
set -euo pipefail
[[ ${1:-} == analyze ]] || { echo "fake tfvpc: only analyze" >&2; exit 2; }
shift
plan=$1; shift
[[ -n ${FAKE_TFVPC_LOG:-} ]] && echo "analyze $plan $* token=${TFVPC_GITHUB_TOKEN:+leaked}" >>"$FAKE_TFVPC_LOG"
format=markdown output=/dev/stdout fail_on=error
while (($#)); do
  case $1 in
    --format) format=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    --fail-on) fail_on=$2; shift 2 ;;
    --policy | --source-dir | --reachability) shift 2 ;;
    --only-new) shift ;;
    *) echo "fake tfvpc: unexpected argument $1" >&2; exit 2 ;;
  esac
done
# Plan-controlled text reaches stderr in real life (addresses in messages): the action must
# print it with workflow commands switched off.
echo "::warning::text from the plan" >&2
if [[ ! -f $plan || $(head -c 1 "$plan") != "{" ]]; then
  echo "tfvpc: $plan: not a terraform show -json document" >&2
  exit 2
fi
case $format in
  json) cat >"$output" <<'JSON'
{"version": 1, "tool": {"name": "tfvpc", "version": "0.1.0"},
 "input": {"format_version": "1.2", "terraform_version": "1.11.4"},
 "summary": {"vpcs": 1, "subnets": 1, "findings": {"error": 1, "warning": 2, "note": 1}},
 "findings": [], "reachability": [], "changes": []}
JSON
  ;;
  sarif) echo '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "tfvpc"}}, "results": []}]}' >"$output" ;;
  markdown) printf '## tfvpc\n\n**1 error**, 2 warnings, 1 note\n' >"$output" ;;
esac
case $fail_on in never) exit 0 ;; *) exit 1 ;; esac
