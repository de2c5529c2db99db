#!/usr/bin/env bash
# Writes link/edupipe.order, the order in which the linker lays out the
# functions a night runs: first, together. The kernel maps an executable's
# code in 64 KB windows around each page it touches, so code spread over
# the 27 MB of text made 18 MB of it resident on a three-period night
# (docs/performance.md, "Memory: the executable's own pages"). A function
# missing from the list (renamed since) is only placed later: the file
# changes where code lies, never what it does. Remake it after large
# changes, with valgrind installed:
#
#   bash scripts/link-order.sh && make build
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "link-order: valgrind is needed" >&2; exit 1; }
make build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin="$work/edupipe"
cp .build/release/edupipe "$bin"
strip --strip-debug "$bin"
export EDUPIPE_HOME="$PWD"
# Three periods of every county with the ledger (its second run, as a
# night finds it), then an XML inbox.
"$bin" synth --out "$work/csv" --seed 2022 --forms csv.gz --periods 3 --scale 0.2 > /dev/null
"$bin" synth --out "$work/xml" --seed 7 --forms xml.gz --provinces 11 > /dev/null
"$bin" run --inbox "$work/csv" --out "$work/o1" --state "$work/s1" --quiet
valgrind --tool=callgrind --callgrind-out-file="$work/csv.cg" "$bin" run --inbox "$work/csv" --out "$work/o1" --state "$work/s1" --quiet 2> /dev/null
valgrind --tool=callgrind --callgrind-out-file="$work/xml.cg" "$bin" run --inbox "$work/xml" --out "$work/o2" --state "$work/s2" --no-ledger --quiet 2> /dev/null
python3 scripts/link-order.py "$work/csv.cg" "$work/xml.cg" > link/edupipe.order
echo "link-order: $(wc -l < link/edupipe.order) functions in link/edupipe.order"
