#!/usr/bin/env bash
# Checks a run's tables for people as their readers see them.
#
#   bash scripts/check-tables.sh [OUT] [PERIOD]     (default: out 2022-autumn;
#   PIPELINE=FILE for a run of another plan)
#
# 1. openpyxl reads indicators.xlsx back and compares it with indicators.csv
#    and submissions.csv (scripts/check_workbook.py), in a throwaway virtual
#    environment under .build-check/ (never a project dependency);
# 2. LibreOffice converts every sheet to CSV headless: the workbook opens
#    without a repair, and the county sheet has one line per county;
# 3. LibreOffice renders the trends (趋势) and quality (数据质量) sheets to
#    PNGs, each sheet alone in a copy of the workbook;
# 4. headless Chromium renders report.html to a PNG (screen) and an A4 PDF
#    (print), then pdftoppm turns the PDF's first pages into PNGs to look at.
# With SCREENSHOTS=DIR the sheet and report pictures are copied there
# (docs/screenshots holds those of a three-period synthetic inbox).
# Installs libreoffice-calc-nogui, chromium, fonts-noto-cjk and
# poppler-utils with apt-get when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out}
PERIOD=${2:-2022-autumn}
CHECK=.build-check
mkdir -p "$CHECK"

need=()
command -v soffice >/dev/null || need+=(libreoffice-calc-nogui)
command -v chromium >/dev/null || need+=(chromium)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
fc-list :lang=zh | grep -q . || need+=(fonts-noto-cjk)
. scripts/apt-install.sh
apt_install "${need[@]}"

if [ ! -x "$CHECK/venv/bin/python" ]; then
    python3 -m venv "$CHECK/venv"
    "$CHECK/venv/bin/pip" install -q openpyxl pyyaml
fi
"$CHECK/venv/bin/python" scripts/check_workbook.py "$OUT" "$PERIOD" ${PIPELINE:-}

# LibreOffice: every sheet to CSV, raw values (not as shown), UTF-8.
rm -rf "$CHECK/lo" && mkdir -p "$CHECK/lo"
soffice --headless --norestore \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
    --outdir "$CHECK/lo" "$OUT/$PERIOD/indicators.xlsx" >/dev/null 2>&1
county_csv=$(ls "$CHECK"/lo/*县级*.csv)
counties=$(awk -F, '$2=="county" {print $3}' "$OUT/$PERIOD/indicators.csv" | sort -u | wc -l)
lines=$("$CHECK/venv/bin/python" -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8"))) - 1)' "$county_csv")
if [ "$lines" -ne "$counties" ]; then
    echo "LibreOffice: $lines county rows, expected $counties"; exit 1
fi
echo "libreoffice ok: $(ls "$CHECK"/lo/*.csv | wc -l) sheets converted, $lines county rows"

# LibreOffice: the trends and quality sheets as a reader sees them.
for sheet in 趋势:workbook-trends 数据质量:workbook-quality; do
    name=${sheet%%:*} shot=${sheet##*:}
    "$CHECK/venv/bin/python" - "$OUT/$PERIOD/indicators.xlsx" "$name" "$CHECK/lo/$shot.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for ws in list(wb.worksheets):
    if ws.title != sys.argv[2]:
        wb.remove(ws)
# One page wide, so the picture shows every column.
ws = wb.worksheets[0]
ws.page_setup.orientation = "landscape"
ws.sheet_properties.pageSetUpPr.fitToPage = True
ws.page_setup.fitToWidth = 1
ws.page_setup.fitToHeight = 0
wb.save(sys.argv[3])
PY
    # Calc has no PNG export without a display: its PDF, first page.
    soffice --headless --norestore --convert-to pdf --outdir "$CHECK/lo" "$CHECK/lo/$shot.xlsx" >/dev/null 2>&1
    [ -s "$CHECK/lo/$shot.pdf" ] || { echo "LibreOffice: no picture of the $name sheet"; exit 1; }
    pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$CHECK/lo/$shot.pdf" "$CHECK/lo/$shot"
done
echo "libreoffice ok: $CHECK/lo/workbook-trends.png, $CHECK/lo/workbook-quality.png"

# Chromium: the page as on screen, and as printed on A4.
report=$(realpath "$OUT/$PERIOD/report.html")
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,5200 \
    --screenshot="$CHECK/report.png" "file://$report" >/dev/null 2>&1
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$CHECK/report.pdf" "file://$report" >/dev/null 2>&1
rm -f "$CHECK"/report-page-*.png
pdftoppm -png -r 60 -f 1 -l 6 "$CHECK/report.pdf" "$CHECK/report-page"
pages=$(pdfinfo "$CHECK/report.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
echo "chromium ok: $CHECK/report.png (screen), $CHECK/report.pdf ($pages A4 pages), $CHECK/report-page-*.png"
if [ -n "${SCREENSHOTS:-}" ]; then
    cp "$CHECK/lo/workbook-trends.png" "$CHECK/lo/workbook-quality.png" "$SCREENSHOTS/"
    echo "screenshots copied to $SCREENSHOTS"
fi
