#!/usr/bin/env bash
# Whole-process throughput of the CLI beside `wc -l` on the same file, in one run (machines are
# noisy: the ratio to `wc -l` is the figure to compare). Prints MB/s (best of RUNS) and the
# ratio to `wc -l` for each command.
#
#   benches/compare.sh [FILE]            # default: a 200 MB real-shaped file made with `generate`
#   RUNS=5 SIZE=1GB benches/compare.sh   # more runs, another size
#
# Peak memory of one command: /usr/bin/time -v target/release/muutostieto check --jobs 1 FILE
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
cargo build --release --quiet
bin=target/release/muutostieto
file=${1:-}
if [ -z "$file" ]; then
  file=/tmp/muutostieto-compare-${SIZE:-200MB}.MTT
  [ -f "$file" ] || "$bin" generate --profile real-shaped --continuation-every 0 \
    --size "${SIZE:-200MB}" --seed 7 -o "$file"
fi
bytes=$(stat -c %s "$file")
cat "$file" > /dev/null # into the page cache

best() { # best wall time in seconds of running "$@" $runs times, output to /dev/null
  local best=""
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    t1=$(date +%s.%N)
    best=$(echo "$t0 $t1 $best" | awk '{d=$2-$1; if ($3=="" || d<$3) print d; else print $3}')
  done
  echo "$best"
}

printf '%s: %d bytes, best of %d runs\n' "$file" "$bytes" "$runs"
printf '%-32s %10s %8s\n' "command" "MB/s" "/wc -l"
wc=$(best wc -l "$file")
show() { # name seconds
  echo "$1 $2 $wc $bytes" | awk '{printf "%-32s %10.0f %8.3f\n", $1, $4/1e6/$2, $3/$2}'
}
row() {
  local name=$1; shift
  show "$name" "$(best "$@")"
}
show "wc_-l" "$wc"
row "check_--jobs_1" "$bin" check --jobs 1 "$file"
row "check_--jobs_2" "$bin" check --jobs 2 "$file"
row "parse_--jobs_1" "$bin" parse --jobs 1 "$file"
row "parse_--jobs_2" "$bin" parse --jobs 2 "$file"
if "$bin" convert --help > /dev/null 2>&1; then
  row "convert_--jobs_1" "$bin" convert --jobs 1 "$file"
  row "convert_--jobs_2" "$bin" convert --jobs 2 "$file"
fi
