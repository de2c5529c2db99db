"""Polars computing the class-size, after-school and dropout numerators and
denominators per county from the same csv.gz files, reading columns by name
(their order varies), without validation. GB18030 files are read lossily:
only numeric columns and 1/0 flags are used."""
import glob
import sys

import polars as pl

root = sys.argv[1]


def frames(dataset, columns):
    for path in sorted(glob.glob(f"{root}/*/*_{dataset}_*.csv.gz")):
        yield pl.read_csv(path, columns=columns, encoding="utf8-lossy", infer_schema=False)


classes = pl.concat(frames("class_size", ["county_code", "stage", "students"])).with_columns(pl.col("students").cast(pl.Int64))
c = classes.group_by("county_code", "stage").agg(
    pl.len().alias("classes"), pl.col("students").sum(),
    (pl.col("students").is_between(56, 65)).sum().alias("large"), (pl.col("students") >= 66).sum().alias("super_large"))
after = pl.concat(frames("after_school", ["county_code", "enrolled", "offers_service", "participants",
                                          "days_per_week", "minutes_per_day", "funding_secured"]))
after = after.with_columns(pl.col(["enrolled", "participants", "days_per_week", "minutes_per_day"]).cast(pl.Int64),
                           (pl.col("offers_service") == "1").alias("offers"), (pl.col("funding_secured") == "1").alias("funded"))
a = after.group_by("county_code").agg(
    pl.len().alias("schools"), pl.col("offers").sum(), pl.col("participants").sum(), pl.col("enrolled").sum(),
    (pl.col("offers") & (pl.col("days_per_week") >= 5) & (pl.col("minutes_per_day") >= 120)).sum().alias("five_two"),
    (pl.col("offers") & pl.col("funded")).sum().alias("funded"))
drop = pl.concat(frames("dropout", ["county_code", "status"]))
d = drop.group_by("county_code").agg(pl.len().alias("records"), (pl.col("status") == "out").sum().alias("out"))
print(c.height, a.height, d.height, int(classes.height))
