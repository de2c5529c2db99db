#!/usr/bin/env bash
# make bench: measures edupipe against the decompression floor and against
# Polars, DuckDB and xmllint on the same synthetic national inbox, and prints
# the figures side by side. Nothing here asserts on time.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/edupipe
DATA=bench/data
JOBS=$(nproc)
export EDUPIPE_KEY=${EDUPIPE_KEY:-$(printf '5a%.0s' {1..32})}

[ -x "$BIN" ] || make build
command -v xmllint >/dev/null || { apt-get update -qq && apt-get install -y -qq libxml2-utils; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }

# The inboxes are generated once and kept outside git.
. bench/data-stamp.sh
[ -d $DATA/csv ] || $BIN synth --out $DATA/csv --seed 2022 --forms csv.gz
[ -d $DATA/xml ] || $BIN synth --out $DATA/xml --seed 2022 --forms xml.gz
# As badly compressible as a real national inbox (about 3.7:1, against
# synth's default 6:1): random text in 80% of the records.
[ -d $DATA/noisy ] || $BIN synth --out $DATA/noisy --seed 2022 --forms csv.gz --noise 0.8
# Three periods of the nation (2021-autumn to 2022-autumn): the checks
# across periods, and issue 21's memory goal (under 50 MB).
[ -d $DATA/periods ] || $BIN synth --out $DATA/periods --seed 2022 --forms csv.gz --periods 3

# Polars and DuckDB live in a throwaway virtual environment, never in the project.
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q polars duckdb isal
fi
bench/.venv/bin/python -c 'import isal' 2>/dev/null || bench/.venv/bin/pip install -q isal

BYTES=$(python3 bench/zlib_floor.py $DATA/csv)
RECORDS=$(find $DATA/csv -name '*.gz' -print0 | xargs -0 cat | gzip -dc | grep -vc -e '^county_code' -e '^\S*,county_code' || true)
XBYTES=$(python3 bench/zlib_floor.py $DATA/xml)
NBYTES=$(python3 bench/zlib_floor.py $DATA/noisy)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

measure() { # name, inbox bytes, command...
  local name=$1 bytes=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$OUT/t" "$@" > /dev/null 2> "$OUT/err" || { echo "$name failed:"; cat "$OUT/err"; return; }
  read -r wall user sys rss < "$OUT/t"
  echo "$name|$wall|$user|$sys|$rss|$bytes" >> "$OUT/rows"
}

# PAIRS alternating runs, the reference command and then edupipe's, one
# "reference edupipe" line of seconds each, appended to the file.
pair_runs() { # file, reference command..., --, edupipe command...
  local file=$1 ref=()
  shift
  while [ "$1" != "--" ]; do ref+=("$1"); shift; done
  shift
  for i in $(seq 1 "$PAIRS"); do
    /usr/bin/time -f "%e" -o "$OUT/pf" "${ref[@]}" > /dev/null
    /usr/bin/time -f "%e" -o "$OUT/pr" "$@"
    echo "$(cat "$OUT/pf") $(cat "$OUT/pr")" >> "$file"
  done
}

# Each pair with its ratio, then the median ratio.
report_pairs() { # file
  awk '{ r = $2 / $1; printf "  %.2f %.2f %.2f\n", $1, $2, r; print r > "/dev/stderr" }' "$1" 2> "$1.ratios"
  sort -n "$1.ratios" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median ratio %.2f over %d pairs (best %.2f, worst %.2f)\n", m, NR, v[1], v[NR] }'
}

measure "zlib floor (python zlib, 1 core)" $BYTES python3 bench/zlib_floor.py $DATA/csv
measure "gzip -dc, all files as one stream" $BYTES sh -c "find $DATA/csv -name '*.gz' | sort | xargs cat | gzip -dc"
measure "isal floor (python-isal, 1 core)" $BYTES bench/.venv/bin/python bench/zlib_floor.py --isal $DATA/csv
# Each inbox has a state folder of its own, warmed by one run: a night's
# run is measured, not the first run's ledger inserts.
$BIN run --inbox $DATA/csv --out $OUT/o1 --state $OUT/s --jobs $JOBS --quiet
measure "edupipe run --jobs 1" $BYTES $BIN run --inbox $DATA/csv --out $OUT/o1 --state $OUT/s --jobs 1 --quiet
measure "edupipe run --jobs $JOBS" $BYTES $BIN run --inbox $DATA/csv --out $OUT/o2 --state $OUT/s --jobs $JOBS --quiet
# This machine's speed drifts by tens of percent within minutes: the main
# goal is also measured as alternating pairs (floor, then run), whose
# ratios share the machine's state, and reported as their median. They run
# before Polars and DuckDB: measured after their minutes of load, the same
# pairs came out 15-20% worse on this VM.
PAIRS=${PAIRS:-7}
pair_runs "$OUT/pairs" python3 bench/zlib_floor.py $DATA/csv -- $BIN run --inbox $DATA/csv --out $OUT/o2 --state $OUT/s --jobs $JOBS --quiet

# The badly compressible inbox: its own floor, and paired runs as above.
$BIN run --inbox $DATA/noisy --out $OUT/on --state $OUT/sn --jobs $JOBS --quiet
measure "zlib floor, noisy inbox" $NBYTES python3 bench/zlib_floor.py $DATA/noisy
measure "isal floor, noisy inbox" $NBYTES bench/.venv/bin/python bench/zlib_floor.py --isal $DATA/noisy
measure "edupipe run --jobs $JOBS, noisy inbox" $NBYTES $BIN run --inbox $DATA/noisy --out $OUT/on --state $OUT/sn --jobs $JOBS --quiet
pair_runs "$OUT/npairs" python3 bench/zlib_floor.py $DATA/noisy -- $BIN run --inbox $DATA/noisy --out $OUT/on --state $OUT/sn --jobs $JOBS --quiet

PBYTES=$(python3 bench/zlib_floor.py $DATA/periods)
$BIN run --inbox $DATA/periods --out $OUT/op --state $OUT/sp --jobs $JOBS --quiet
measure "edupipe run --jobs $JOBS, three periods" $PBYTES $BIN run --inbox $DATA/periods --out $OUT/op --state $OUT/sp --jobs $JOBS --quiet

measure "polars (3 datasets, no validation)" $BYTES bench/.venv/bin/python bench/polars_counts.py $DATA/csv
measure "duckdb (3 datasets, no validation)" $BYTES bench/.venv/bin/python bench/duckdb_counts.py $DATA/csv
measure "xmllint --stream (xml.gz)" $XBYTES sh -c "find $DATA/xml -name '*.gz' | sort | xargs xmllint --stream --noout"
$BIN run --inbox $DATA/xml --out $OUT/o3 --state $OUT/sx --jobs $JOBS --quiet
measure "edupipe run --jobs $JOBS (xml.gz)" $XBYTES $BIN run --inbox $DATA/xml --out $OUT/o3 --state $OUT/sx --jobs $JOBS --quiet
# The XML goal as pairs too: xmllint's streaming reader, then the run.
pair_runs "$OUT/xpairs" sh -c "find $DATA/xml -name '*.gz' | sort | xargs xmllint --stream --noout" -- \
  $BIN run --inbox $DATA/xml --out $OUT/o3 --state $OUT/sx --jobs $JOBS --quiet
SMALL=$(find samples/inbox -name '*.csv' | head -1)
measure "edupipe validate, one small file" 0 sh -c "$BIN validate $SMALL || true"

FLOOR=$(head -1 "$OUT/rows" | cut -d'|' -f2)
GZ=$(sed -n 2p "$OUT/rows" | cut -d'|' -f2)
POLARS=$(grep '^polars' "$OUT/rows" | cut -d'|' -f2)
XMLLINT=$(grep '^xmllint' "$OUT/rows" | cut -d'|' -f2)
echo "national inbox: $(find $DATA/csv -type f | wc -l) files, $RECORDS records, $((BYTES / 1000000)) MB of CSV; xml: $((XBYTES / 1000000)) MB; $(nproc) cores; $(date -u +%F)"
printf '%-38s %8s %8s %8s %10s %9s %9s %8s %8s %8s\n' command wall_s cpu_s rss_MB MB/s Mrec/s vs_zlib vs_gzip vs_polars vs_xmllint
while IFS='|' read -r name wall user sys rss bytes; do
  awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v b="$bytes" -v rec="$RECORDS" \
      -v f="$FLOOR" -v g="$GZ" -v p="${POLARS:-0}" -v x="${XMLLINT:-0}" 'BEGIN {
    mbs = (w > 0 && b > 0) ? b / 1e6 / w : 0; rs = (w > 0 && b > 0) ? rec / 1e6 / w : 0
    printf "%-38s %8.2f %8.2f %8.1f %10.0f %9.2f %9.2f %8.2f %8.2f %8.2f\n", n, w, u + s, r / 1024, mbs, rs, w / f, w / g, (p > 0 ? w / p : 0), (x > 0 ? w / x : 0) }'
done < "$OUT/rows"
echo "(vs_zlib and vs_gzip compare with the one-period inbox's floor: the three-period row reads $((PBYTES / 1000000)) MB of CSV; its goal is RSS under 50 MB)"
echo
echo "paired runs, zlib floor then edupipe run --jobs $JOBS (seconds, ratio):"
report_pairs "$OUT/pairs"
echo
echo "paired runs on the noisy inbox ($((NBYTES / 1000000)) MB of CSV in $(( $(du -sb $DATA/noisy | cut -f1) / 1000000 )) MB of gzip), zlib floor then edupipe run --jobs $JOBS:"
report_pairs "$OUT/npairs"
echo
echo "paired runs on the XML inbox, xmllint --stream then edupipe run --jobs $JOBS (goal: ratio at most 0.3):"
report_pairs "$OUT/xpairs"
