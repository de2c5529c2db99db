#!/usr/bin/env bash
# No formula runs from a CSV edupipe writes (standard, section 6; OWASP's
# CSV injection): a night over files whose names and header cells are
# formulas, then LibreOffice Calc opens errors.csv and submissions.csv with
# formula evaluation on (as a spreadsheet user's Excel would) and saves them
# as workbooks; a formula cell (<f>) in any sheet fails the check. Needs
# soffice: apt-get install libreoffice-calc-nogui.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/edupipe}
command -v soffice >/dev/null || { echo "soffice is not installed (apt-get install libreoffice-calc-nogui)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/inbox"
header='county_code,school_id,stage,grade,class_id,students'
printf '%s,=HYPERLINK("http://example.invalid/x";"y"),@SUM(1+1),+cmd,-2+3\n110101,1111010001,primary,1,1-01,45,a,b,c,d\n' "$header" \
  > "$work/inbox/110101_class_size_2022-autumn.csv"
printf '%s\n110102,1111010001,primary,1,=1+1,x\n' "$header" > "$work/inbox/110102_class_size_2022-autumn.csv"
printf 'x\n' > "$work/inbox/=SUM(1+1).csv"
printf 'x\n' > "$work/inbox/@A1.csv"
EDUPIPE_KEY=$(printf '5a%.0s' {1..32}) $BIN run --inbox "$work/inbox" --out "$work/out" --state "$work/state" --quiet || [ $? -eq 3 ]
status=0
for f in errors submissions 2022-autumn/indicators 2022-autumn/quality; do
  name=$(basename "$f")
  # Comma, quote, UTF-8, from line 1; token 13 (true): evaluate formulas.
  soffice --headless --infilter="Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1,true" \
    --convert-to xlsx --outdir "$work/xlsx" "$work/out/$f.csv" > /dev/null 2>&1
  unzip -o -q "$work/xlsx/$name.xlsx" -d "$work/xlsx/$name"
  if grep -q '<f>\|<f ' "$work/xlsx/$name"/xl/worksheets/*.xml; then
    echo "FAIL $f.csv: LibreOffice found a formula"; status=1
  else
    echo "ok   $f.csv: no formula"
  fi
done
# The cells are there, as text.
grep -q "HYPERLINK" "$work/xlsx/errors/xl/sharedStrings.xml" && echo "ok   the formula-like header is kept as text" || { echo "FAIL the header cell is gone"; status=1; }
exit $status
