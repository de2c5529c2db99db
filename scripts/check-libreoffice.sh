#!/usr/bin/env bash
# A real client: LibreOffice Calc reads samples/libreoffice/source.csv into a
# workbook (ID columns as text, as a careful clerk formats them), then
# exports it as CSV in UTF-8 and in GB18030, the way a county clerk saves a
# sheet; edupipe must accept both. The exports are committed beside the
# source and checked by the tests; this script makes them again (it needs
# soffice: apt-get install libreoffice-calc-nogui) and validates them.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v soffice >/dev/null || { echo "soffice is not installed (apt-get install libreoffice-calc-nogui)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp samples/libreoffice/source.csv "$work/sheet.csv"
# Columns 1-3 as text (2), the rest standard (1); UTF-8 in (76).
soffice --headless --infilter="Text - txt - csv (StarCalc):44,34,76,1,1/2/2/2/3/2/4/1/5/1/6/1/7/1/8/1/9/1/10/1" \
  --convert-to xlsx --outdir "$work" "$work/sheet.csv" > /dev/null 2>&1
mkdir "$work/utf8" "$work/gb18030"
# Out as UTF-8 (76) and GB18030 (85), comma separated, text quoted.
soffice --headless --convert-to "csv:Text - txt - csv (StarCalc):44,34,76,1" --outdir "$work/utf8" "$work/sheet.xlsx" > /dev/null 2>&1
soffice --headless --convert-to "csv:Text - txt - csv (StarCalc):44,34,85,1" --outdir "$work/gb18030" "$work/sheet.xlsx" > /dev/null 2>&1
cp "$work/utf8/sheet.csv" samples/libreoffice/110101_after_school_2022-autumn.csv
cp "$work/gb18030/sheet.csv" samples/libreoffice/110101_after_school_2022-autumn_r2.csv
.build/release/edupipe validate samples/libreoffice/110101_after_school_2022-autumn*.csv
