#!/usr/bin/env bash
# The action's main step: runs tfvpc on the plan (JSON, SARIF, markdown), writes the step
# outputs, the job summary and (optionally) the pull-request comment, then exits with tfvpc's
# code so `fail-on` fails the job only after everything is written. The plan is data: it is
# read by tfvpc (and by `terraform show` for a binary plan) and never executed.
#
# Environment (set by action.yml from the inputs): TFVPC_BIN, TFVPC_PLAN,
# TFVPC_WORKING_DIRECTORY, TFVPC_SOURCE_DIR, TFVPC_POLICY, TFVPC_FAIL_ON, TFVPC_ONLY_NEW,
# TFVPC_SARIF_FILE, TFVPC_CATEGORY, TFVPC_COMMENT, TFVPC_SUMMARY, TFVPC_GITHUB_TOKEN.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

bin=${TFVPC_BIN:-tfvpc}
plan=${TFVPC_PLAN:-}
workdir=${TFVPC_WORKING_DIRECTORY:-.}
fail_on=${TFVPC_FAIL_ON:-error}
only_new=${TFVPC_ONLY_NEW:-false}
sarif=${TFVPC_SARIF_FILE:-tfvpc.sarif}
want_comment=${TFVPC_COMMENT:-false}
want_summary=${TFVPC_SUMMARY:-true}
# The token goes to comment.py alone, not to tfvpc or terraform.
token=${TFVPC_GITHUB_TOKEN:-}
unset TFVPC_GITHUB_TOKEN
sarif_written=false

out_dir=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/tfvpc.XXXXXX")
json="$out_dir/report.json"
markdown="$out_dir/report.md"
stderr_log="$out_dir/stderr.log"

# Paths in the outputs must work from the step's directory, not from $workdir.
from_step_dir() {
  case $1 in
    /*) printf '%s' "$1" ;;
    *) if [[ $workdir == . ]]; then printf '%s' "$1"; else printf '%s/%s' "${workdir%/}" "$1"; fi ;;
  esac
}

# Writes all outputs (empty counts when tfvpc produced no report), the summary, then exits.
finish() {
  local code=$1 findings="" errors="" sarif_out="" md_out=""
  if [[ -s $json ]]; then
    read -r errors warnings notes < <(count_findings "$json") || true
    if [[ -n ${errors:-} ]]; then
      findings=$((errors + warnings + notes))
      echo "tfvpc: $findings finding(s): $errors error(s), $warnings warning(s), $notes note(s); fail-on=$fail_on"
    fi
  fi
  [[ $sarif_written == true && -s $sarif ]] && sarif_out=$(from_step_dir "$sarif")
  [[ -s $markdown ]] && md_out=$markdown
  set_output sarif-file "$sarif_out"
  set_output markdown-file "$md_out"
  set_output json-file "$([[ -s $json ]] && printf '%s' "$json")"
  set_output findings "$findings"
  set_output errors "$errors"
  set_output exit-code "$code"
  if [[ $want_summary == true && -n ${GITHUB_STEP_SUMMARY:-} ]]; then
    if [[ -s $markdown ]]; then
      write_capped "$markdown" 1000000 >>"$GITHUB_STEP_SUMMARY"
    else
      {
        echo "### tfvpc could not analyze the plan"
        echo
        echo '```text'
        # shellcheck disable=SC2016 # backticks, not an expansion
        head -c 20000 "$stderr_log" 2>/dev/null | sed 's/```/` ` `/g'
        echo '```'
      } >>"$GITHUB_STEP_SUMMARY"
    fi
  fi
  exit "$code"
}

# Copies a file, cut to at most N bytes with a note when longer.
write_capped() {
  local file=$1 max=$2
  if (($(wc -c <"$file") > max)); then
    head -c "$((max - 200))" "$file"
    printf '\n\n_… cut here: the report is longer than this place allows; the SARIF file has every finding._\n'
  else
    cat -- "$file"
  fi
}

# Prints "ERRORS WARNINGS NOTES" from the JSON report's summary: jq, else python3, else grep.
count_findings() {
  local file=$1
  if command -v jq >/dev/null 2>&1; then
    jq -r '.summary.findings | "\(.error // 0) \(.warning // 0) \(.note // 0)"' "$file"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["summary"]["findings"]; print(f.get("error",0), f.get("warning",0), f.get("note",0))' "$file"
  else
    # The summary's "findings" object is flat: {"error": N, "warning": N, "note": N}.
    local obj
    obj=$(tr -d ' \n\t' <"$file" | grep -o '"findings":{"[a-z]*":[0-9]*,"[a-z]*":[0-9]*,"[a-z]*":[0-9]*}' | head -n1)
    printf '%s %s %s\n' \
      "$(grep -o '"error":[0-9]*' <<<"$obj" | cut -d: -f2)" \
      "$(grep -o '"warning":[0-9]*' <<<"$obj" | cut -d: -f2)" \
      "$(grep -o '"note":[0-9]*' <<<"$obj" | cut -d: -f2)"
  fi
}

fail() {
  echo "::error::$(escape_data "$1")"
  printf '%s\n' "$1" >>"$stderr_log"
  finish 2
}

case $fail_on in error | warning | note | never) ;; *) fail "fail-on must be error, warning, note or never (got '$fail_on')" ;; esac
case $only_new in true | false) ;; *) fail "only-new must be true or false (got '$only_new')" ;; esac
case $want_comment in true | false) ;; *) fail "comment must be true or false (got '$want_comment')" ;; esac
case $want_summary in true | false) ;; *) fail "summary must be true or false (got '$want_summary')" ;; esac
[[ -n $plan ]] || fail "the plan input is required"
cd -- "$workdir" 2>/dev/null || fail "working-directory '$workdir' does not exist"
[[ -f $plan ]] || fail "plan file '$plan' not found (relative paths start at working-directory '$workdir')"

# A binary plan (a zip: starts with "PK") is turned into JSON by terraform, in $workdir,
# which must be initialised. tfvpc itself only ever reads JSON.
plan_json=$plan
if [[ $(head -c 2 -- "$plan") == PK ]]; then
  command -v terraform >/dev/null 2>&1 || fail "'$plan' is a binary plan and terraform is not on PATH to read it"
  plan_json="$out_dir/plan.json"
  echo "Converting the binary plan with terraform show -json"
  terraform show -json -- "$plan" >"$plan_json" 2>"$stderr_log" || {
    print_untrusted "$stderr_log"
    fail "terraform show -json '$plan' failed (is '$workdir' initialised?)"
  }
fi

args=(--fail-on "$fail_on")
[[ $only_new == true ]] && args+=(--only-new)
[[ -n ${TFVPC_POLICY:-} ]] && args+=(--policy "$TFVPC_POLICY")
if [[ -n ${TFVPC_SOURCE_DIR:-} ]]; then
  args+=(--source-dir "$TFVPC_SOURCE_DIR")
elif [[ $plan_json != "$plan" ]]; then
  # The converted plan lives in a temp dir: keep tfvpc's default, the binary plan's directory.
  args+=(--source-dir "$(dirname -- "$plan")")
fi
mkdir -p -- "$(dirname -- "$sarif")" || fail "cannot create the directory of sarif-file '$sarif'"
rm -f -- "$sarif"

# One run per format; the JSON run's exit code is the verdict, the others must agree.
code=
for format in json sarif markdown; do
  case $format in json) dest=$json ;; sarif) dest=$sarif ;; markdown) dest=$markdown ;; esac
  "$bin" analyze "$plan_json" --format "$format" --output "$dest" "${args[@]}" 2>"$stderr_log"
  rc=$?
  print_untrusted "$stderr_log"
  if ((rc != 0 && rc != 1)); then
    echo "::error::tfvpc analyze --format $format exited $rc"
    rm -f -- "$json" "$markdown"
    finish "$rc"
  fi
  code=${code:-$rc}
  [[ $format == sarif ]] && sarif_written=true
done

if [[ $want_comment == true ]]; then
  # Marker: the category, else the source dir, else the working directory (one per root module).
  key=${TFVPC_CATEGORY:-${TFVPC_SOURCE_DIR:-$workdir}}
  key=$(printf '%s' "$key" | tr -c 'A-Za-z0-9._/:@+=,-' '_')
  body="$out_dir/comment.md"
  printf '<!-- tfvpc:%s -->\n' "$key" >"$body"
  cat -- "$markdown" >>"$body"
  if ! command -v python3 >/dev/null 2>&1; then
    echo "::warning::python3 is not installed, so no pull-request comment was written"
  elif ! TFVPC_GITHUB_TOKEN=$token TFVPC_COMMENT_MARKER="<!-- tfvpc:$key -->" python3 "$here/comment.py" "$body"; then
    echo "tfvpc: the comment was not written; the report is in the job summary"
  fi
fi

finish "$code"
