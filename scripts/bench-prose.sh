#!/usr/bin/env bash
# Benchmark of reading reports as written: 1,000 prose reports of about 10 KB (the five
# samples/reports/*.txt, each copy made distinct) against the same figures as YAML (each
# report's `hecha import` transcription), checked with the built-in packs in one run;
# then one prose report in a cold process. Prints the median of RUNS runs of each, MB/s,
# files/s, and the ratio prose/YAML of CPU time.
#
# usage: scripts/bench-prose.sh          # RUNS=5 COUNT=1000 by default
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
count=${COUNT:-1000}
cargo build --release --quiet --bin hecha
hecha=$PWD/target/release/hecha
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/prose" "$work/yaml"
reports=(samples/reports/*.txt)
for ((i = 0; i < count; i++)); do
  src=${reports[$((i % ${#reports[@]}))]}
  # a distinct copy: the report's own text, its title numbered
  { echo "（第 $i 份）$(head -1 "$src")"; tail -n +2 "$src"; } > "$work/prose/r$i.txt"
done
for ((i = 0; i < count; i++)); do
  "$hecha" import "$work/prose/r$i.txt" -o "$work/yaml/r$i.yaml"
done
bytes() { cat "$1"/* | wc -c; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
# cpu DIR: user+system seconds of one check of DIR
cpu() {
  TIMEFORMAT='%U %S %R'
  { time "$hecha" check --summary-only "$1" >/dev/null || true; } 2>&1 | awk '{print $1+$2, $3}'
}
declare -a p_cpu y_cpu p_wall y_wall
for ((r = 0; r < runs; r++)); do
  read -r c w < <(cpu "$work/prose"); p_cpu+=("$c"); p_wall+=("$w")
  read -r c w < <(cpu "$work/yaml"); y_cpu+=("$c"); y_wall+=("$w")
done
pb=$(bytes "$work/prose"); yb=$(bytes "$work/yaml")
pc=$(printf '%s\n' "${p_cpu[@]}" | median); yc=$(printf '%s\n' "${y_cpu[@]}" | median)
pw=$(printf '%s\n' "${p_wall[@]}" | median); yw=$(printf '%s\n' "${y_wall[@]}" | median)
awk -v n="$count" -v pb="$pb" -v yb="$yb" -v pc="$pc" -v yc="$yc" -v pw="$pw" -v yw="$yw" 'BEGIN {
  printf "prose: %d files, %.1f MB: wall %.2f s, cpu %.2f s, %.1f MB/s (cpu), %.0f files/s\n", n, pb/1e6, pw, pc, pb/1e6/pc, n/pw
  printf "yaml:  %d files, %.1f MB: wall %.2f s, cpu %.2f s, %.1f MB/s (cpu), %.0f files/s\n", n, yb/1e6, yw, yc, yb/1e6/yc, n/yw
  printf "ratio prose/yaml (cpu, same figures): %.2f\n", pc/yc
}'
TIMEFORMAT='one prose report, cold process: %R s wall'
time "$hecha" check --summary-only "$work/prose/r0.txt" >/dev/null || true
