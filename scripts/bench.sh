#!/usr/bin/env bash
# Benchmark of `hecha check` on synthetic batches, in one run:
#   (a) the built-in rules, and (b) the same files with no rules (parse only), for
#   1,000 and 10,000 reports, on every core and on one; then a single small report in a
#   cold process. Prints medians of several runs: seconds, files/s, MB/s, the ratio
#   (a)/(b), and peak memory (with GNU time, if installed).
#
# usage: scripts/bench.sh            # RUNS=5 SIZES="1000 10000" by default
#        RUNS=9 SIZES="1000" scripts/bench.sh
# Needs only Rust and bash; the batches are written under $BENCH_DIR (default: a
# temporary folder, removed at the end). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
sizes=${SIZES:-"1000 10000"}
cargo build --release --quiet --bin hecha --example gen-batch
hecha=target/release/hecha
gen=target/release/examples/gen-batch
if [[ -n "${BENCH_DIR:-}" ]]; then
  work=$BENCH_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
gnu_time=""
if /usr/bin/time -f %M true >/dev/null 2>&1; then
  gnu_time=/usr/bin/time
fi

now_ns() { date +%s%N; }

# calc FORMAT EXPRESSION: awk arithmetic (bc may not be installed)
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# median of the numbers on stdin
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# run_once OUT_TIMES OUT_RSS ARGS...: one run of hecha; appends seconds and peak KiB
run_once() {
  local times=$1 rss=$2
  shift 2
  local start end
  start=$(now_ns)
  if [[ -n $gnu_time ]]; then
    $gnu_time -f %M -o "$work/rss.tmp" "$hecha" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$work/rss.tmp" >>"$rss"
  else
    "$hecha" "$@" >/dev/null 2>&1 || true
  fi
  end=$(now_ns)
  calc '%.6f\n' "($end - $start) / 1e9" >>"$times"
}

# measure LABEL ARGS...: prints "seconds rss_kib" (medians over $runs runs)
measure() {
  local times="$work/times.tmp" rss="$work/rss.list"
  : >"$times"
  : >"$rss"
  "$hecha" "$@" >/dev/null 2>&1 || true # warm the page cache
  for _ in $(seq "$runs"); do
    run_once "$times" "$rss" "$@"
  done
  local t r
  t=$(median <"$times")
  if [[ -s $rss ]]; then r=$(median <"$rss"); else r=""; fi
  echo "$t ${r:-?}"
}

cores=$(nproc 2>/dev/null || echo "?")
echo "hecha benchmark: $(uname -srm), $cores cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //' || true)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'); medians of $runs runs"
echo
printf '%-7s %-16s %-5s %9s %9s %8s %10s\n' files mode jobs seconds files/s MB/s "peak MiB"
for n in $sizes; do
  dir="$work/batch-$n"
  if [[ ! -d $dir ]]; then
    "$gen" "$n" "$dir" --json 10 >/dev/null
  fi
  bytes=$(find "$dir" -name '*.yaml' -o -name '*.json' | xargs cat | wc -c)
  declare -A secs=()
  for mode in rules parse-only; do
    for jobs in "$cores" 1; do
      extra=()
      [[ $mode == parse-only ]] && extra=(--no-default-rules)
      read -r t r < <(measure check "${extra[@]}" -j "$jobs" "$dir")
      secs[$mode-$jobs]=$t
      fps=$(calc %.0f "$n / $t")
      mbs=$(calc %.1f "$bytes / $t / 1e6")
      mib="?"
      [[ $r != "?" ]] && mib=$(calc %.1f "$r / 1024")
      printf '%-7s %-16s %-5s %9.3f %9s %8s %10s\n' "$n" "$mode" "$jobs" "$t" "$fps" "$mbs" "$mib"
    done
  done
  for jobs in "$cores" 1; do
    ratio=$(calc %.2f "${secs[rules-$jobs]} / ${secs[parse-only-$jobs]}")
    echo "        ratio (a)/(b), rules / parse only, $jobs job(s): $ratio"
  done
  speedup=$(calc %.2f "${secs[rules-1]} / ${secs[rules-$cores]}")
  echo "        speed-up of rules on $cores cores over 1: $speedup"
  echo "        ($(calc %.1f "$bytes / 1e6") MB in $n files)"
  unset secs
done

echo
small=samples/wangcheng-2023-backlog-fund.yaml
: >"$work/cold.tmp"
for _ in $(seq 20); do
  start=$(now_ns)
  "$hecha" check "$small" >/dev/null 2>&1 || true
  end=$(now_ns)
  calc '%.3f\n' "($end - $start) / 1e6" >>"$work/cold.tmp"
done
echo "single small report ($small, $(wc -c <"$small") bytes), cold process: $(median <"$work/cold.tmp") ms (median of 20)"
