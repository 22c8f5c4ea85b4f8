#!/usr/bin/env bash
# Benchmark of `hecha check` on synthetic batches, in one run:
#   (a) the built-in rules, (b) the same files with no rules (read and build the tree
#   only), and (c) the YAML event parse alone (examples/events-only.rs: granit-parser's
#   events over the same files on the same threads, nothing kept), for 1,000 and 10,000
#   reports, on every core and on one; the same reports as JSON, read by the JSON
#   scanner and by the YAML reader; the same reports as JSON and as YAML, read into the
#   tree and checked (the JSON-vs-YAML ratio on the same content); then a single small
#   report in a cold process.
#   Prints medians of several runs, (a), (b) and (c) alternating: wall and CPU (user +
#   system) seconds, files/s, MB/s, the ratios (a)/(b) and (c)/(a) — a full check's
#   throughput as a share of the parser's, the figure speed goals are quoted in — and
#   peak memory (with GNU time, if installed). On a machine shared with other work, the
#   CPU ratio is the steadier one.
#
# usage: scripts/bench.sh            # RUNS=5 SIZES="1000 10000" by default
#        RUNS=9 SIZES="1000" scripts/bench.sh
# Needs only Rust, bash and awk; the batches are written under $BENCH_DIR (default: a
# temporary folder, removed at the end). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
sizes=${SIZES:-"1000 10000"}
cargo build --release --quiet --bin hecha --example gen-batch --example events-only
hecha=target/release/hecha
gen=target/release/examples/gen-batch
events=target/release/examples/events-only
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

# calc FORMAT EXPRESSION: awk arithmetic (bc may not be installed)
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# median of the numbers on stdin
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'; }

# run_once LABEL COMMAND...: one run of a command; appends "wall cpu" seconds to $work/LABEL.t,
# and peak KiB to $work/LABEL.m (with GNU time)
run_once() {
  local label=$1
  shift
  local TIMEFORMAT='%3R %3U %3S' line
  if [[ -n $gnu_time ]]; then
    line=$({ time $gnu_time -f %M -o "$work/rss.tmp" "$@" >/dev/null 2>&1; } 2>&1) || true
    tail -n 1 "$work/rss.tmp" >>"$work/$label.m"
  else
    line=$({ time "$@" >/dev/null 2>&1; } 2>&1) || true
  fi
  echo "$line" | awk '{ printf "%s %.3f\n", $1, $2 + $3 }' >>"$work/$label.t"
}

# compare LABEL_A COMMAND_A... -- LABEL_B COMMAND_B... [-- ...]: $runs runs of each,
# alternating, so that a change of load falls on all alike
compare() {
  local labels=() cmds=() cur="" label
  while [[ $# -gt 0 ]]; do
    label=$1
    shift
    cur=""
    while [[ $# -gt 0 && $1 != -- ]]; do
      cur+="$(printf '%q ' "$1")"
      shift
    done
    [[ $# -gt 0 ]] && shift
    labels+=("$label")
    cmds+=("$cur")
  done
  local i
  for i in "${!labels[@]}"; do
    rm -f "$work/${labels[$i]}.t" "$work/${labels[$i]}.m"
    eval "${cmds[$i]}" >/dev/null 2>&1 || true # warm the page cache
  done
  for _ in $(seq "$runs"); do
    for i in "${!labels[@]}"; do
      eval "run_once ${labels[$i]} ${cmds[$i]}"
    done
  done
}

# stats LABEL: medians "wall cpu peak_KiB"
stats() {
  local wall cpu rss="?"
  wall=$(cut -d' ' -f1 "$work/$1.t" | median)
  cpu=$(cut -d' ' -f2 "$work/$1.t" | median)
  if [[ -s $work/$1.m ]]; then rss=$(median <"$work/$1.m"); fi
  echo "$wall $cpu $rss"
}

cores=$(nproc 2>/dev/null || echo 1)
cpu_model=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //' || true)
echo "hecha benchmark: $(uname -srm), $cores cores ($cpu_model)"
echo "load average at start: $(loadavg); medians of $runs runs, (a) and (b) alternating"
echo
printf '%-7s %-6s %-4s %8s %8s %8s %7s %9s\n' files mode jobs "wall s" "cpu s" files/s MB/s "peak MiB"
for n in $sizes; do
  dir="$work/batch-$n"
  if [[ ! -d $dir ]]; then
    "$gen" "$n" "$dir" --json 10 >/dev/null
  fi
  bytes=$(find "$dir" \( -name '*.yaml' -o -name '*.json' \) -exec cat {} + | wc -c)
  for jobs in "$cores" 1; do
    compare "rules-$jobs" "$hecha" check -j "$jobs" "$dir" -- \
      "parse-$jobs" "$hecha" check --no-default-rules -j "$jobs" "$dir" -- \
      "events-$jobs" "$events" -j "$jobs" "$dir"
    for label in "rules-$jobs" "parse-$jobs" "events-$jobs"; do
      read -r wall cpu rss < <(stats "$label")
      mib="?"
      if [[ $rss != "?" ]]; then mib=$(calc %.1f "$rss / 1024"); fi
      printf '%-7s %-6s %-4s %8.3f %8.3f %8.0f %7.1f %9s\n' "$n" "${label%-*}" "$jobs" \
        "$wall" "$cpu" "$(calc %.3f "$n / $wall")" "$(calc %.3f "$bytes / $wall / 1e6")" "$mib"
    done
    read -r wall_a cpu_a _ < <(stats "rules-$jobs")
    read -r wall_b cpu_b _ < <(stats "parse-$jobs")
    read -r wall_c cpu_c _ < <(stats "events-$jobs")
    echo "        (a)/(b), rules / parse only, $jobs job(s): wall $(calc %.2f "$wall_a / $wall_b"), cpu $(calc %.2f "$cpu_a / $cpu_b")"
    echo "        (c)/(a), full check's throughput as a share of the event parse's, $jobs job(s): wall $(calc %.2f "$wall_c / $wall_a"), cpu $(calc %.2f "$cpu_c / $cpu_a")"
  done
  if [[ $cores != 1 ]]; then
    read -r wall_1 _ _ < <(stats "rules-1")
    read -r wall_n _ _ < <(stats "rules-$cores")
    echo "        rules on $cores cores: $(calc %.2f "$wall_1 / $wall_n") times as fast as on 1"
  fi
  echo "        ($(calc %.1f "$bytes / 1e6") MB in $n files)"
done

echo
# JSON: the same reports all written as JSON, read into hecha's tree by the JSON scanner
# (events-only --tree) and by the YAML reader (--tree-yaml), on one thread, beside the
# YAML event parse of the same JSON text.
n=${sizes%% *}
dir="$work/json-$n"
if [[ ! -d $dir ]]; then
  "$gen" "$n" "$dir" --json 100 >/dev/null
fi
bytes=$(find "$dir" -name '*.json' -exec cat {} + | wc -c)
compare json-tree "$events" -j 1 --tree "$dir" -- \
  yaml-tree "$events" -j 1 --tree-yaml "$dir" -- \
  json-events "$events" -j 1 "$dir"
printf '%-11s %8s %8s %7s\n' "JSON read" "wall s" "cpu s" MB/s
for label in json-tree yaml-tree json-events; do
  read -r wall cpu _ < <(stats "$label")
  printf '%-11s %8.3f %8.3f %7.1f\n' "$label" "$wall" "$cpu" "$(calc %.3f "$bytes / $wall / 1e6")"
done
read -r _ cpu_j _ < <(stats json-tree)
read -r _ cpu_y _ < <(stats yaml-tree)
echo "        JSON scanner's tree vs the YAML reader's, same JSON files, 1 job: cpu $(calc %.2f "$cpu_y / $cpu_j") times as fast"
echo "        ($(calc %.1f "$bytes / 1e6") MB in $n JSON files)"

echo
# JSON against YAML on the same content: the same reports (same N and seed) written
# as YAML, read into the tree (events-only --tree: the block YAML scanner) and checked, beside
# the JSON files read and checked; the issue's JSON goal is quoted as this ratio.
ydir="$work/yaml-$n"
if [[ ! -d $ydir ]]; then
  "$gen" "$n" "$ydir" --json 0 >/dev/null
fi
ybytes=$(find "$ydir" -name '*.yaml' -exec cat {} + | wc -c)
compare json-tree "$events" -j 1 --tree "$dir" -- \
  yaml-file-tree "$events" -j 1 --tree "$ydir" -- \
  json-check "$hecha" check -j 1 "$dir" -- \
  yaml-check "$hecha" check -j 1 "$ydir"
printf '%-14s %8s %8s %7s\n' "same reports" "wall s" "cpu s" MB/s
for label in json-tree yaml-file-tree json-check yaml-check; do
  read -r wall cpu _ < <(stats "$label")
  b=$bytes
  if [[ $label == yaml-* ]]; then b=$ybytes; fi
  printf '%-14s %8.3f %8.3f %7.1f\n' "$label" "$wall" "$cpu" "$(calc %.3f "$b / $wall / 1e6")"
done
read -r _ cpu_jt _ < <(stats json-tree)
read -r _ cpu_yt _ < <(stats yaml-file-tree)
read -r _ cpu_jc _ < <(stats json-check)
read -r _ cpu_yc _ < <(stats yaml-check)
echo "        JSON vs YAML, the same $n reports, 1 job: read into the tree cpu $(calc %.2f "$cpu_yt / $cpu_jt") times as fast, full check cpu $(calc %.2f "$cpu_yc / $cpu_jc") times as fast"
echo "        ($(calc %.1f "$ybytes / 1e6") MB as YAML, $(calc %.1f "$bytes / 1e6") MB as JSON)"

echo
small=samples/wangcheng-2023-backlog-fund.yaml
rm -f "$work/cold.t" "$work/cold.m"
for _ in $(seq 21); do
  run_once cold "$hecha" check "$small"
done
cold_ms=$(cut -d' ' -f1 "$work/cold.t" | median | awk '{ printf "%.0f", $1 * 1000 }')
echo "single small report ($small, $(wc -c <"$small") bytes), cold process: ${cold_ms} ms wall (median of 21; the timer counts whole milliseconds)"
echo "load average at end: $(loadavg)"
