#!/usr/bin/env bash
# Runs the action's scripts as a GitHub runner would, against a fake API on 127.0.0.1.
# Env: TFVPC_BIN (the tfvpc to run), SIM_PLAN (a `terraform show -json` plan),
# SIM_FAKE=1 when TFVPC_BIN is tests/action/fake-tfvpc.sh (then exact counts are known).
# Prints "ok - ..." per check and "N passed, 0 failed"; exits non-zero on the first failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
: "${TFVPC_BIN:?}" "${SIM_PLAN:?}"
export TFVPC_BIN

tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; fi
  if [[ ${SIM_KEEP:-0} == 1 ]]; then echo "kept $tmp"; else rm -rf -- "$tmp"; fi
}
trap cleanup EXIT

passed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
die() {
  echo "not ok - $1" >&2
  for f in "$tmp"/*.log; do [[ -f $f ]] && { echo "--- $f" >&2; cat "$f" >&2; }; done
  exit 1
}
check() { local what=$1; shift; if "$@"; then ok "$what"; else die "$what"; fi; }

# --- the fake API: loopback only, shuts itself down after 120 s
python3 "$here/fake_api.py" "$tmp/port" "$tmp/api.jsonl" 120 120 &
server_pid=$!
for _ in $(seq 100); do [[ -s $tmp/port ]] && break; sleep 0.1; done
[[ -s $tmp/port ]] || die "the fake API started"
port=$(cat "$tmp/port")

# --- a workspace with one root module, a runner temp dir, a pull_request event
ws="$tmp/ws"
mkdir -p "$ws/infra/prod" "$tmp/runner" "$tmp/bin"
cp "$SIM_PLAN" "$ws/infra/prod/plan.json"
printf '{"action": "synchronize", "number": 7, "pull_request": {"number": 7}}\n' >"$tmp/event.json"
export GITHUB_API_URL="http://127.0.0.1:$port" GITHUB_REPOSITORY=acme/infra
export GITHUB_EVENT_PATH="$tmp/event.json" RUNNER_TEMP="$tmp/runner" GITHUB_ACTION_PATH="$repo"
export FAKE_TFVPC_LOG="$tmp/tfvpc-args.log"

# run_action NAME VAR=VALUE...: one run of the main step, in the workspace, like the runner.
run_action() {
  local name=$1; shift
  : >"$tmp/$name.out"; : >"$tmp/$name.summary"
  set +e
  (cd "$ws" && env GITHUB_OUTPUT="$tmp/$name.out" GITHUB_STEP_SUMMARY="$tmp/$name.summary" \
    TFVPC_PLAN=plan.json TFVPC_WORKING_DIRECTORY=infra/prod TFVPC_GITHUB_TOKEN=write-token \
    "$@" bash "$repo/scripts/run.sh") >"$tmp/$name.log" 2>&1
  rc=$?
  set -e
}
# output NAME KEY: a value from a GITHUB_OUTPUT file (KEY<<DELIM ... DELIM).
output() {
  awk -v key="$2" '
    !inside && index($0, key "<<") == 1 { delim = substr($0, length(key) + 3); inside = 1; next }
    inside && $0 == delim { exit }
    inside { print }' "$tmp/$1.out"
}
has_output() { grep -q "^$2<<" "$tmp/$1.out"; }
count_requests() { grep -c "\"method\": \"$1\"" "$tmp/api.jsonl" || true; }
# expected_code FAIL_ON: the contract's exit code for the counts in the run's JSON report.
expected_code() {
  python3 - "$(output "$2" json-file)" "$1" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["summary"]["findings"]
limit = {"error": ["error"], "warning": ["error", "warning"], "note": ["error", "warning", "note"], "never": []}
print(1 if any(f.get(s, 0) for s in limit[sys.argv[2]]) else 0)
PY
}

# 1. first run: reports, outputs, summary, a new comment
run_action first TFVPC_COMMENT=true TFVPC_FAIL_ON=error
for key in sarif-file markdown-file json-file findings errors exit-code; do
  check "first run writes output $key" has_output first "$key"
done
check "tfvpc analyzed the plan (exit 0 or 1)" test "$rc" -lt 2
check "exit status equals the exit-code output" test "$rc" = "$(output first exit-code)"
check "exit code follows fail-on=error" test "$rc" = "$(expected_code error first)"
check "sarif-file is relative to the workspace" test "$(output first sarif-file)" = infra/prod/tfvpc.sarif
check "the SARIF file exists" test -s "$ws/infra/prod/tfvpc.sarif"
check "the job summary holds the markdown report" cmp -s "$tmp/first.summary" "$(output first markdown-file)"
check "findings is a number" grep -qE '^[0-9]+$' <<<"$(output first findings)"
if [[ ${SIM_FAKE:-0} == 0 ]]; then
  # testdata/eigw-ipv4-route: exactly one finding, TFVPC101, an error.
  check "counts come from the real JSON summary" test "$(output first findings)/$(output first errors)" = 1/1
fi
if [[ ${SIM_FAKE:-0} == 1 ]]; then
  check "counts come from the JSON summary" test "$(output first findings)/$(output first errors)" = 4/1
  check "tfvpc's stderr is printed with workflow commands off" \
    grep -qE '^::stop-commands::tfvpc-[0-9a-f]+$' "$tmp/first.log"
fi
if [[ ${SIM_FAKE:-0} == 1 ]]; then
  check "tfvpc ran three times, without the token" test "$(grep -c 'token=$' "$FAKE_TFVPC_LOG")" = 3
fi
check "one comment created" test "$(count_requests POST)" = 1
check "the comment starts with the marker" python3 -c '
import json, sys
posts = [r for r in map(json.loads, open(sys.argv[1])) if r["method"] == "POST"]
sys.exit(not posts[0]["body"]["body"].startswith("<!-- tfvpc:infra/prod -->\n"))' "$tmp/api.jsonl"
check "the token is sent" grep -q '"auth": "Bearer write-token"' "$tmp/api.jsonl"
check "comments are listed page by page" grep -q '"query": "per_page=100&page=2"' "$tmp/api.jsonl"
check "the comment is on the pull request of the event" test "$(count_requests POST)" = 1 -a \
  "$(grep -c '"POST", "path": "/repos/acme/infra/issues/7/comments"' "$tmp/api.jsonl")" = 1

# 2. second run: the same comment is edited, none added
run_action second TFVPC_COMMENT=true TFVPC_FAIL_ON=error
check "second run exits the same" test "$rc" = "$(expected_code error second)"
check "second run adds no comment" test "$(count_requests POST)" = 1
check "second run edits the first comment" test "$(count_requests PATCH)" = 1
check "the edit targets the right comment" python3 -c '
import json, sys
patch = [r for r in map(json.loads, open(sys.argv[1])) if r["method"] == "PATCH"][0]
# the fake numbers new comments after the 120 seeded ones
sys.exit(patch["path"] != "/repos/acme/infra/issues/comments/121")' "$tmp/api.jsonl"

# 3. fail-on=never: exit 0; no comment asked, no API call
before=$(wc -l <"$tmp/api.jsonl")
run_action never TFVPC_FAIL_ON=never
check "fail-on=never exits 0" test "$rc" = 0
check "fail-on=never sets exit-code 0" test "$(output never exit-code)" = 0
check "comment=false calls no API" test "$(wc -l <"$tmp/api.jsonl")" = "$before"

# 4. a fork's read-only token: warning, summary, exit by fail-on
run_action fork TFVPC_COMMENT=true TFVPC_FAIL_ON=warning TFVPC_GITHUB_TOKEN=read-only
check "read-only token still exits by fail-on" test "$rc" = "$(expected_code warning fork)"
check "read-only token sets exit-code" test "$(output fork exit-code)" = "$rc"
check "read-only token still writes the summary" test -s "$tmp/fork.summary"
check "read-only token logs a warning" grep -q '^::warning title=tfvpc comment::the GitHub API answered 403' "$tmp/fork.log"
check "read-only token adds no comment" test "$(count_requests POST)" = 1

# 5. a binary plan goes through terraform show -json, the plan dir stays the source dir
printf 'PK\003\004 binary plan' >"$ws/infra/prod/plan.tfplan"
cat >"$tmp/bin/terraform" <<SH
#!/usr/bin/env bash
echo "\$*" >>"$tmp/terraform-args.log"
[[ "\$1 \$2" == "show -json" ]] && cat "$ws/infra/prod/plan.json"
SH
chmod +x "$tmp/bin/terraform"
: >"$FAKE_TFVPC_LOG"
run_action binary TFVPC_PLAN=plan.tfplan PATH="$tmp/bin:$PATH"
check "a binary plan is converted by terraform" grep -qx 'show -json -- plan.tfplan' "$tmp/terraform-args.log"
check "a binary plan is analyzed" test "$rc" = "$(expected_code error binary)"
if [[ ${SIM_FAKE:-0} == 1 ]]; then
  check "a binary plan keeps its directory as the source dir" grep -q -- '--source-dir \.' "$FAKE_TFVPC_LOG"
fi

# 6. bad input: exit 2, every output key still written, the error in the summary
run_action missing TFVPC_PLAN=nope.json
check "a missing plan exits 2" test "$rc" = 2
check "a missing plan sets exit-code 2" test "$(output missing exit-code)" = 2
check "a missing plan leaves findings empty" test -z "$(output missing findings)"
check "a missing plan still writes all outputs" test "$(grep -c '<<' "$tmp/missing.out")" = 6
check "a missing plan is explained in the summary" grep -q 'could not analyze' "$tmp/missing.summary"
run_action badfail TFVPC_FAIL_ON=sometimes
check "an unknown fail-on exits 2" test "$rc" = 2
run_action badnew TFVPC_ONLY_NEW=yes
check "only-new other than true or false exits 2" test "$rc" = 2

# 6b. only-new: true passes --only-new to every run of tfvpc; false (the default) does not
: >"$FAKE_TFVPC_LOG"
run_action onlynew TFVPC_ONLY_NEW=true
check "only-new runs" test "$rc" = "$(expected_code error onlynew)"
if [[ ${SIM_FAKE:-0} == 1 ]]; then
  check "only-new passes --only-new" test "$(grep -c -- '--only-new' "$FAKE_TFVPC_LOG")" = "$(grep -c '^analyze' "$FAKE_TFVPC_LOG")"
  : >"$FAKE_TFVPC_LOG"
  run_action notnew TFVPC_ONLY_NEW=false
  check "only-new: false passes nothing" test "$(grep -c -- '--only-new' "$FAKE_TFVPC_LOG")" = 0
fi

# 7. inputs are data: nothing in them runs
# shellcheck disable=SC2016 # the point is that this is never expanded
run_action inject 'TFVPC_PLAN=$(touch pwned).json' 'TFVPC_POLICY=`touch pwned`'
check "a plan path with \$(...) exits 2" test "$rc" = 2
check "nothing in an input was executed" test ! -e "$ws/infra/prod/pwned" -a ! -e "$ws/pwned"

# 8. install.sh: TFVPC_BIN wins; with no usable release it asks for a build, cache-keyed
(cd "$ws" && GITHUB_OUTPUT="$tmp/install.out" bash "$repo/scripts/install.sh") >"$tmp/install.log" 2>&1
check "install.sh uses TFVPC_BIN" test "$(output install bin)" = "$TFVPC_BIN"
(cd "$ws" && GITHUB_OUTPUT="$tmp/build.out" TFVPC_BIN='' TFVPC_ACTION_REPOSITORY='not a repo' \
  bash "$repo/scripts/install.sh") >"$tmp/build.log" 2>&1
check "install.sh falls back to a build" test "$(output build build)" = true
check "the build is cache-keyed on the source" grep -qE '^tfvpc-bin-[A-Za-z]+-[a-z0-9_]+-[0-9a-f]{64}$' <<<"$(output build cache-key)"
set +e
(GITHUB_OUTPUT="$tmp/badver.out" TFVPC_BIN='' TFVPC_VERSION='1.0; rm -rf /' bash "$repo/scripts/install.sh") >"$tmp/badver.log" 2>&1
rc=$?
set -e
check "install.sh rejects a version that is not one" test "$rc" = 2

echo "$passed passed, 0 failed"
