#!/usr/bin/env python3
"""Reads a run's indicators.xlsx back with openpyxl and checks it against
the run's indicators.csv and submissions.csv, as another program would.

usage: check_workbook.py OUT PERIOD [PIPELINE_YAML]

Checks: the sheets and their order; frozen panes and autofilters; every
indicator cell is numeric with the exact value of indicators.csv (empty for
no_data), in percent format for ratios, highlighted exactly when not_met;
the not-reported sheet lists the counties with no file in force; the files
sheet has the period's files with status and first error; the trends sheet
holds, for the nation and each province, every indicator's value of each
period the run wrote, equal to that period's indicators.csv; the quality
sheet holds the period's quality.csv row for row; no text cell starts
with = + - @ (formula injection). Exits 1 on the first difference.
"""
import csv
import sys

import openpyxl
import yaml

LEVELS = [("national", "全国"), ("province", "省级"), ("prefecture", "地市级"), ("county", "县级")]
SHEETS = [s for _, s in LEVELS] + ["未报送", "报送文件", "趋势", "数据质量"]
NOT_MET_FILL = "FFFFC7CE"


def load_plan(path):
    """The plan and the plans it extends, datasets replaced by name."""
    import os
    plan = yaml.safe_load(open(path, encoding="utf-8"))
    if "extends" in plan:
        base = load_plan(os.path.join(os.path.dirname(path), plan["extends"]))
        names = [d["name"] for d in plan.get("datasets", [])]
        base["datasets"] = [d for d in base["datasets"] if d["name"] not in names] + plan.get("datasets", [])
        base["indicators"] = base.get("indicators", []) + plan.get("indicators", [])
        return base
    return plan


def period_key(p):
    year, half = p.split("-")
    return (int(year), 0 if half == "spring" else 1)


def fail(msg):
    print("workbook check FAILED:", msg)
    sys.exit(1)


def main():
    out, period = sys.argv[1], sys.argv[2]
    plan = load_plan(sys.argv[3] if len(sys.argv) > 3 else "pipelines/basic-education-2022.yaml")
    by_zh = {}
    dataset_names = {}
    for d in plan["datasets"]:
        dataset_names[d["zh"] + " " + d["en"]] = d["name"]
        for ind in d.get("indicators", []):
            by_zh[ind["zh"]] = d["name"] + "." + ind["name"]
    for ind in plan.get("indicators", []):
        by_zh[ind["zh"]] = ind["dataset"] + "." + ind["name"]

    rows = {}
    with open(f"{out}/{period}/indicators.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows[(r["level"], r["code"], r["indicator"])] = r

    wb = openpyxl.load_workbook(f"{out}/{period}/indicators.xlsx")
    if wb.sheetnames != SHEETS:
        fail(f"sheets {wb.sheetnames}, expected {SHEETS}")

    checked = 0
    for level, sheet in LEVELS:
        ws = wb[sheet]
        if not ws.freeze_panes or not ws.auto_filter.ref:
            fail(f"{sheet}: no frozen header or no autofilter")
        header = [c.value for c in ws[1]]
        columns = {}
        for i, h in enumerate(header):
            first = (h or "").split("\n")[0]
            if first in by_zh:
                columns[i] = by_zh[first]
        units = 0
        for row in ws.iter_rows(min_row=2):
            code = row[0].value
            units += 1
            for i, indicator in columns.items():
                cell = row[i]
                expected = rows.get((level, code, indicator))
                if expected is None:
                    fail(f"{sheet} {code} {indicator}: not in indicators.csv")
                if expected["status"] == "no_data":
                    if cell.value is not None:
                        fail(f"{sheet} {code} {indicator}: {cell.value!r} where indicators.csv has no data")
                    continue
                if not isinstance(cell.value, (int, float)):
                    fail(f"{sheet} {cell.coordinate}: {cell.value!r} is not a number")
                if abs(cell.value - float(expected["value"])) > 1e-12:
                    fail(f"{sheet} {cell.coordinate}: {cell.value} but indicators.csv has {expected['value']}")
                if expected["denominator"] and not indicator.startswith("class_size.avg_size") and "%" not in cell.number_format:
                    fail(f"{sheet} {cell.coordinate}: ratio without a percent format ({cell.number_format})")
                highlighted = cell.fill.fgColor.rgb == NOT_MET_FILL
                if highlighted != (expected["status"] == "not_met"):
                    fail(f"{sheet} {cell.coordinate}: highlighted={highlighted}, status {expected['status']}")
                checked += 1
        expected_units = len({k[1] for k in rows if k[0] == level})
        if units != expected_units:
            fail(f"{sheet}: {units} units, indicators.csv has {expected_units}")

    missing = set()
    for (level, code, indicator), r in rows.items():
        if level == "county" and indicator.endswith(".reporting_rate") and r["numerator"] == "0":
            missing.add((indicator.split(".")[0], code))
    listed = set()
    for row in wb["未报送"].iter_rows(min_row=2, values_only=True):
        listed.add((dataset_names.get(row[0], row[0]), row[3]))
    if listed != missing:
        fail(f"not-reported sheet: {len(listed)} rows, expected {len(missing)}")

    with open(f"{out}/submissions.csv", encoding="utf-8", newline="") as f:
        files = [r for r in csv.DictReader(f) if r["period"] in (period, "")]
    sheet_files = list(wb["报送文件"].iter_rows(min_row=2, values_only=True))
    if len(sheet_files) != len(files):
        fail(f"files sheet: {len(sheet_files)} rows, submissions.csv has {len(files)} for the period")
    for r, row in zip(files, sheet_files):
        path = row[0][1:] if row[0] and row[0][0] == "'" else row[0]
        if path != r["file"] or (row[9] or "") != r["first_error"] or r["status"] not in row[5]:
            fail(f"files sheet row {row} does not match {r}")

    # Trends: each period the run wrote, as its own indicators.csv says.
    import os
    periods = sorted((p for p in os.listdir(out) if os.path.exists(f"{out}/{p}/indicators.csv")), key=period_key)
    by_period = {}
    for p in periods:
        with open(f"{out}/{p}/indicators.csv", encoding="utf-8", newline="") as f:
            by_period[p] = {(r["code"], r["indicator"]): r for r in csv.DictReader(f) if r["level"] in ("national", "province")}
    trends = wb["趋势"]
    header = [c.value for c in trends[1]]
    shown_periods = header[5:]
    if shown_periods != [p for p in periods if period_key(p) <= period_key(period)]:
        fail(f"trends sheet: periods {shown_periods}, the run wrote {periods} up to {period}")
    trend_cells = 0
    for row in trends.iter_rows(min_row=2, values_only=True):
        code, indicator = row[1], row[4]
        for p, v in zip(shown_periods, row[5:]):
            r = by_period[p].get((code, indicator))
            if r is None or r["status"] == "no_data":
                if v is not None:
                    fail(f"trends {code} {indicator} {p}: {v!r} where indicators.csv has no data")
                continue
            if not isinstance(v, (int, float)) or abs(v - float(r["value"])) > 1e-12:
                fail(f"trends {code} {indicator} {p}: {v!r} but indicators.csv has {r['value']}")
            trend_cells += 1
    if trends.max_row - 1 != len(by_period[period]):
        fail(f"trends sheet: {trends.max_row - 1} rows, indicators.csv has {len(by_period[period])} national and province rows")

    # Quality: quality.csv, row for row.
    with open(f"{out}/{period}/quality.csv", encoding="utf-8", newline="") as f:
        flags = list(csv.DictReader(f))
    sheet_flags = list(wb["数据质量"].iter_rows(min_row=2, values_only=True))
    if len(sheet_flags) != len(flags):
        fail(f"quality sheet: {len(sheet_flags)} rows, quality.csv has {len(flags)}")
    for r, row in zip(flags, sheet_flags):
        if (row[1], row[2], row[4], str(row[5]), str(row[6])) != (r["code"], r["name"], r["subject"], r["value"], r["reference"]) \
                or r["check"].replace("_", " ") not in row[3] or r["flag"] not in row[7]:
            fail(f"quality sheet row {row} does not match {r}")
    if not wb["数据质量"].auto_filter.ref or not wb["趋势"].auto_filter.ref:
        fail("the trends or quality sheet has no autofilter")

    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
                    fail(f"{ws.title}: text cell {v!r} starts like a formula")

    print(f"workbook ok: {len(SHEETS)} sheets, {checked} indicator cells equal to indicators.csv, "
          f"{len(listed)} not-reported rows, {len(sheet_files)} files, {trend_cells} trend cells over {len(shown_periods)} periods, "
          f"{len(sheet_flags)} quality flags")


main()
