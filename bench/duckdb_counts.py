"""DuckDB computing the same numerators and denominators per county with
read_csv(union_by_name=true) over the same csv.gz files, without validation.
ignore_errors skips the rows it cannot decode (GB18030 files), so its time is
a lower bound."""
import sys

import duckdb

root = sys.argv[1]
con = duckdb.connect()
# union_by_name over thousands of files exhausts memory without these.
con.sql("SET memory_limit='4GB'")
con.sql("SET preserve_insertion_order=false")


def src(dataset):
    return (f"read_csv('{root}/*/*_{dataset}_*.csv.gz', union_by_name=true, all_varchar=true, "
            f"encoding='utf-8', ignore_errors=true, buffer_size=262144)")


c = con.sql(f"""select county_code, stage, count(*) classes, sum(students::int) students,
    sum((students::int between 56 and 65)::int) large, sum((students::int >= 66)::int) super_large
    from {src('class_size')} group by all""").fetchall()
a = con.sql(f"""select county_code, count(*) schools, sum((offers_service = '1')::int) offering,
    sum(participants::int) participants, sum(enrolled::int) enrolled,
    sum((offers_service = '1' and days_per_week::int >= 5 and minutes_per_day::int >= 120)::int) five_two,
    sum((offers_service = '1' and funding_secured = '1')::int) funded
    from {src('after_school')} group by all""").fetchall()
d = con.sql(f"""select county_code, count(*) records, sum((status = 'out')::int) outstanding
    from {src('dropout')} group by all""").fetchall()
print(len(c), len(a), len(d))
