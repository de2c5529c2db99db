#!/usr/bin/env bash
# make check-browser: the clerks' page of `edupipe serve` in a real browser.
# Headless Chromium (Debian's chromium and chromium-driver) driven by
# Selenium (PyPI, in a throwaway virtual environment under .build-check/,
# never a project dependency): sign in, upload a good and a bad file through
# the page, read the verdict and the first error from the page, switch the
# language, see a province's reporting table; screenshots into
# docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/edupipe
CHECK=.build-check
mkdir -p "$CHECK" docs/screenshots
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
fc-list :lang=zh | grep -q . || need+=(fonts-noto-cjk)
. scripts/apt-install.sh
apt_install "${need[@]}"
if [ ! -x "$CHECK/venv/bin/python" ]; then python3 -m venv "$CHECK/venv"; fi
"$CHECK/venv/bin/python" -c 'import selenium' 2>/dev/null || "$CHECK/venv/bin/pip" install -q selenium

WORK=$(mktemp -d)
trap 'kill $SERVE 2>/dev/null || true; rm -rf "$WORK"' EXIT
# An inbox as a night left it: the samples, run once as Hubei's own night
# (--scope 42), so the province's account has its report and workbook to
# open (an office reads only its own units of a night).
cp -r samples/inbox "$WORK/inbox"
export EDUPIPE_KEY=$(printf '5a%.0s' {1..32})
$BIN run --inbox "$WORK/inbox" --out "$WORK/out" --state "$WORK/state" --scope 42 --quiet || [ $? -eq 3 ]
COUNTY=$($BIN accounts add --unit 110101 --name "东城区 数据员" --state "$WORK/state" 2>/dev/null)
PROVINCE=$($BIN accounts add --unit 420000 --name "湖北省教育厅" --state "$WORK/state" 2>/dev/null)
# The files the clerk uploads: a good revision and a bad one.
printf 'county_code,school_id,stage,grade,class_id,students\r\n110101,1111010001,primary,1,1-01,44\r\n110101,1111010001,primary,2,2-01,45\r\n' \
    > "$WORK/110101_class_size_2022-autumn_r2.csv"
printf 'county_code,school_id,school_name,stage,enrolled,offers_service,participants,days_per_week,minutes_per_day,funding_secured\r\n110101,1111010001,史家胡同小学,primary,100,是,120,5,120,是\r\n110101,1111010002,东四九条小学,primary,80,是,60,7,90,否\r\n' \
    > "$WORK/110101_after_school_2022-autumn_r2.csv"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$BIN serve --inbox "$WORK/inbox" --state "$WORK/state" --listen 127.0.0.1:$PORT > "$WORK/serve.out" 2>&1 &
SERVE=$!
for _ in $(seq 100); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
"$CHECK/venv/bin/python" scripts/check_browser.py "http://127.0.0.1:$PORT" "$COUNTY" "$PROVINCE" "$WORK" docs/screenshots
