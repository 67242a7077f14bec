#!/usr/bin/env bash
# End-to-end benchmark: tfvpc analyze against a bare serde parse, on generated plans of
# ~1,000 / 5,000 / 10,000 / 20,000 subnets, each of two kinds: a plan that creates the
# network, and a plan over the existing network (examples/synth --existing). From a fresh
# clone:
#
#   bash bench/run.sh                    # every size and kind; rewrites the table in BENCHMARKS.md
#   SIZES="1000 5000" bash bench/run.sh  # some sizes
#   KINDS=create bash bench/run.sh       # one kind (create or existing)
#   NO_WRITE=1 bash bench/run.sh         # print the table only
#   RUNS=5 bash bench/run.sh             # more runs per cell (default 3; median time)
#
# Steps: cargo build --profile dist (examples + tfvpc: the profile of the released binary); examples/synth writes each plan into
# bench/out/ (gitignored, ~1.8 GB for all sizes and kinds); bench/check_shape.py checks a 3-spoke plan
# against the real plans in testdata/ (skipped when there are none); `sync`; then, per size, $RUNS
# runs each of `bare_parse PLAN` and `tfvpc analyze PLAN --format sarif --output FILE`
# under /usr/bin/time -v (median wall time, largest peak RSS, exit status). A failing
# analyze is recorded with its exit code, never with numbers. A possibly shared machine:
# read the ratios, not the third digit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out_dir="bench/out"
sizes="${SIZES:-1000 5000 10000 20000}"
kinds="${KINDS:-create existing}"
runs="${RUNS:-3}"
subnets_per_spoke=6
mkdir -p "$out_dir"

if [[ ! -x /usr/bin/time ]]; then
  echo "bench: /usr/bin/time is missing; installing the Debian package 'time'" >&2
  if [[ $(id -u) -eq 0 ]]; then
    apt-get install -y time >&2 || { apt-get update >&2 && apt-get install -y time >&2; }
  else
    sudo apt-get install -y time >&2
  fi
fi

echo "bench: cargo build --profile dist --examples --bin tfvpc" >&2
cargo build --profile dist --examples --bin tfvpc >&2
bin="$root/target/dist"

if compgen -G "testdata/*/plan.json" >/dev/null; then
  "$bin/examples/synth" --spokes 3 --out "$out_dir/shape-3-spokes.json" 2>/dev/null
  python3 bench/check_shape.py "$out_dir/shape-3-spokes.json" --fixtures testdata >&2
else
  echo "bench: no testdata/*/plan.json, shape check skipped" >&2
fi

# Runs a command under /usr/bin/time -v; sets t_wall (s), t_rss (KiB), t_exit. Wall time is
# taken around it with date +%N: time -v only has centiseconds.
measure_once() {
  local log="$1" start end
  shift
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$log.time" "$@" >"$log.stdout" 2>"$log.stderr" || true
  end=$(date +%s.%N)
  t_exit=$(awk -F': ' '/Exit status/ {print $2}' "$log.time")
  t_rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log.time")
  t_wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
}

# measure_once $RUNS times (a shared VM is noisy): the median wall time, the largest peak
# RSS, and the first failing exit status if any run failed.
measure() {
  local walls=() rss=0 exit_status=0 i
  for ((i = 0; i < runs; i++)); do
    measure_once "$@"
    walls+=("$t_wall")
    ((t_rss > rss)) && rss=$t_rss
    [[ "$exit_status" == 0 && "$t_exit" != 0 ]] && exit_status=$t_exit
  done
  t_wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  t_rss=$rss
  t_exit=$exit_status
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "—" }'; }

rows=()
notes=()
declare -A bare_time analyze_time analyze_ok gen_time
# Every plan is written before anything is timed, and flushed to disk: the write-back of
# hundreds of MB would otherwise run during the first measurements.
# Each kind's file names: plan-N.json for a plan that creates the network (as before kinds
# existed), existing-N.json for one over it.
name_of() { if [[ "$1" == existing ]]; then echo "existing-$2"; else echo "plan-$2"; fi; }
for kind in $kinds; do
  [[ "$kind" == create || "$kind" == existing ]] || { echo "bench: unknown kind $kind" >&2; exit 2; }
  flag=()
  [[ "$kind" == existing ]] && flag=(--existing)
  for subnets in $sizes; do
    spokes=$(((subnets + subnets_per_spoke - 1) / subnets_per_spoke))
    name=$(name_of "$kind" "$subnets")
    plan="$out_dir/$name.json"
    echo "bench: synth --spokes $spokes ${flag[*]} -> $plan" >&2
    gen_start=$(date +%s.%N)
    "$bin/examples/synth" --spokes "$spokes" "${flag[@]}" --out "$plan" 2>"$out_dir/synth-$name.log"
    gen_time[$name]=$(awk -v a="$gen_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  done
done
sync
for kind in $kinds; do
  for subnets in $sizes; do
    spokes=$(((subnets + subnets_per_spoke - 1) / subnets_per_spoke))
    name=$(name_of "$kind" "$subnets")
    plan="$out_dir/$name.json"
    gen_s=${gen_time[$name]}
    resources=$(sed -n 's/.* \([0-9]*\) resources,.*/\1/p' "$out_dir/synth-$name.log")
    bytes=$(stat -c %s "$plan")

    echo "bench: bare_parse $plan" >&2
    measure "$out_dir/bare-$name" "$bin/examples/bare_parse" "$plan"
    if [[ "$t_exit" != 0 ]]; then
      echo "bench: bare_parse failed on $plan:" >&2
      cat "$out_dir/bare-$name.stderr" >&2
      exit 1
    fi
    b_wall=$t_wall b_rss=$t_rss
    bare_time[$name]=$b_wall

    echo "bench: tfvpc analyze $plan --format sarif" >&2
    measure "$out_dir/analyze-$name" "$bin/tfvpc" analyze "$plan" --format sarif \
      --output "$out_dir/analyze-$name.sarif" --fail-on never
    # 0 and 1 are answers (1: findings at or above --fail-on); 2 and up are failures.
    if [[ "$t_exit" == 0 || "$t_exit" == 1 ]]; then
      analyze_ok[$name]=1
      analyze_time[$name]=$t_wall
      a_cols="$t_exit | $t_wall | $(mb $((t_rss * 1024))) | $(ratio $((t_rss * 1024)) "$bytes") | $(ratio "$t_wall" "$b_wall")"
    else
      a_cols="**$t_exit** (failed) | — | — | — | —"
      first_line=$(head -n 1 "$out_dir/analyze-$name.stderr")
      notes+=("- $kind, $subnets subnets: \`tfvpc analyze\` exited $t_exit: \`${first_line//|/\\|}\`")
    fi

    # Doubling: this size against half of it, when that size ran too.
    half=$(name_of "$kind" $((subnets / 2)))
    dbl_b="—" dbl_a="—"
    if [[ -n "${bare_time[$half]:-}" ]]; then
      dbl_b=$(ratio "$b_wall" "${bare_time[$half]}")
      if [[ -n "${analyze_ok[$name]:-}" && -n "${analyze_ok[$half]:-}" ]]; then
        dbl_a=$(ratio "${analyze_time[$name]}" "${analyze_time[$half]}")
      fi
    fi

    rows+=("| $kind | $subnets | $spokes | $resources | $(mb "$bytes") | $gen_s | $b_wall | $(mb $((b_rss * 1024))) | $(ratio $((b_rss * 1024)) "$bytes") | $a_cols | $dbl_b | $dbl_a |")
  done
done

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
table="$(
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) CPUs ($cpu), $mem RAM; $(rustc -V);"
  echo "tfvpc at \`$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\`. Median wall time of $runs runs per cell (time around \`/usr/bin/time -v\`), largest peak RSS of those runs."
  echo
  echo "| plan | subnets | spokes | resources | plan MB | synth s | bare s | bare RSS MB | bare RSS/file | analyze exit | analyze s | analyze RSS MB | analyze RSS/file | analyze/bare time | bare t/t(N/2) | analyze t/t(N/2) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  if ((${#notes[@]} > 0)); then
    echo
    printf '%s\n' "${notes[@]}"
  fi
)"
echo "$table"

if [[ -z "${NO_WRITE:-}" ]]; then
  TABLE="$table" python3 - "$root/BENCHMARKS.md" <<'EOF'
import os, sys
path, table = sys.argv[1], os.environ["TABLE"]
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
text = open(path).read() if os.path.exists(path) else f"# Benchmarks\n\n{start}\n{end}\n"
if start not in text or end not in text:
    text = text.rstrip("\n") + f"\n\n{start}\n{end}\n"
head, rest = text.split(start, 1)
_, tail = rest.split(end, 1)
open(path, "w").write(f"{head}{start}\n{table}\n{end}{tail}")
EOF
  echo "bench: table written to BENCHMARKS.md" >&2
fi
