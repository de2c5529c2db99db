#!/usr/bin/env bash
# Writes samples/inbox: a small, realistic nightly inbox (three provinces,
# all four file forms, GB18030 with CRLF, a revision that supersedes, a
# rejected revision, counties directly under a province, cross-county
# dropout duplicates, a badly named file). Run from anywhere; deterministic
# (gzip -n stores no name or time).
set -euo pipefail
cd "$(dirname "$0")"
rm -rf inbox
mkdir -p inbox/beijing inbox/hubei inbox/guangdong
AS=county_code,school_id,school_name,stage,enrolled,offers_service,participants,days_per_week,minutes_per_day,funding_secured
CS=county_code,school_id,stage,grade,class_id,students
DO=county_code,student_id,school_id,grade,identified_on,status,resolved_on,reason

# 北京 东城区 110101: after_school CSV, and the same records again as csv.gz
# (a duplicate), class_size csv.gz, an empty dropout list in XML.
cat > inbox/beijing/110101_after_school_2022-autumn.csv <<CSV
$AS
110101,1111010001,北京市东城区史家胡同小学,primary,1860,是,1790,5,120,是
110101,1111010002,"北京市东城区第一实验小学, 东校区",primary,1240,是,1100,5,150,是
110101,1111010003,北京市第二中学分校,junior,960,是,700,4,90,否
110101,1111010004,北京市东城区培新小学,primary,620,否,0,0,0,否
CSV
gzip -n -c inbox/beijing/110101_after_school_2022-autumn.csv > inbox/beijing/110101_after_school_2022-autumn.csv.gz
{
  echo "$CS"
  for g in 1 2 3 4 5 6; do for c in 1 2 3; do echo "110101,1111010001,primary,$g,$g-0$c,$((40 + g + c))"; done; done
  for g in 7 8 9; do for c in 1 2; do echo "110101,1111010003,junior,$g,$g-0$c,$((44 + g))"; done; done
} | gzip -n > inbox/beijing/110101_class_size_2022-autumn.csv.gz
cat > inbox/beijing/110101_dropout_2022-autumn.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<submission dataset="dropout" county="110101" period="2022-autumn">
</submission>
XML

# 北京 西城区 110102: after_school as gzipped XML (attribute form),
# class_size CSV with a large class, dropout CSV with one child still out.
cat <<XML | gzip -n > inbox/beijing/110102_after_school_2022-autumn.xml.gz
<?xml version="1.0" encoding="UTF-8"?>
<submission dataset="after_school" county="110102" period="2022-autumn">
  <record county_code="110102" school_id="1111020001" school_name="北京第一实验小学" stage="primary"
          enrolled="1500" offers_service="Y" participants="1420" days_per_week="5" minutes_per_day="120" funding_secured="Y"/>
  <record county_code="110102" school_id="1111020002" school_name="北京市第八中学" stage="combined"
          enrolled="2100" offers_service="Y" participants="1500" days_per_week="5" minutes_per_day="110" funding_secured="Y"/>
</submission>
XML
cat > inbox/beijing/110102_class_size_2022-autumn.csv <<CSV
$CS
110102,1111020001,primary,1,1-01,44
110102,1111020001,primary,2,2-01,58
110102,1111020002,junior,7,7-01,50
110102,1111020002,senior,10,10-01,52
CSV
cat > inbox/beijing/110102_dropout_2022-autumn.csv <<CSV
$DO
110102,110102200907150032,1111020002,7,2022-09-05,out,,family
110102,110101201103120020,1111020001,5,2022-09-10,returned,2022-10-08,economic
CSV

# 湖北 武汉市江岸区 420102: after_school in GB18030 with CRLF (as Excel on a
# Chinese Windows saves it); class_size r1, r2 (in force) and a rejected r3.
printf '%s\r\n' "$AS" \
  "420102,1142010001,武汉市江岸区实验小学,primary,1320,是,1200,5,120,是" \
  "420102,1142010002,武汉市第二初级中学,junior,980,是,860,5,120,否" \
  | iconv -f UTF-8 -t GB18030 > inbox/hubei/420102_after_school_2022-autumn.csv
cat > inbox/hubei/420102_class_size_2022-autumn.csv <<CSV
$CS
420102,1142010001,primary,1,1-01,70
CSV
cat > inbox/hubei/420102_class_size_2022-autumn_r2.csv <<CSV
$CS
420102,1142010001,primary,1,1-01,46
420102,1142010001,primary,2,2-01,47
420102,1142010002,junior,7,7-01,57
CSV
cat > inbox/hubei/420102_class_size_2022-autumn_r3.csv <<CSV
$CS
420102,1142010001,primary,1,1-01,46
420102,1142010001,primary,8,2-01,47
CSV
cat > inbox/hubei/420102_dropout_2022-autumn.csv <<CSV
$DO
420102,429004200801010048,1142010002,8,2022-09-01,home_delivery,2022-09-20,health
CSV

# 湖北 仙桃市 429004, directly under the province: all three datasets; its
# dropout list shares a child with 420102 (a cross-county duplicate).
cat > inbox/hubei/429004_after_school_2022-autumn.csv <<CSV
$AS
429004,1142900401,仙桃市实验小学,primary,1500,是,1350,5,120,是
CSV
cat > inbox/hubei/429004_class_size_2022-autumn.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<submission dataset="class_size" county="429004" period="2022-autumn">
  <record>
    <county_code>429004</county_code>
    <school_id>1142900401</school_id>
    <stage>primary</stage>
    <grade>3</grade>
    <class_id>3-01</class_id>
    <students>48</students>
  </record>
</submission>
XML
cat > inbox/hubei/429004_dropout_2022-autumn.csv <<CSV
$DO
429004,429004200801010048,1142900401,8,2022-09-03,out,,economic
CSV

# 广东 东莞市 441900, a prefecture-level city that reports as a county:
# a badly named copy, and a dropout list sharing a child with 110102.
cat > inbox/guangdong/441900_class_size_2022-autumn.csv <<CSV
$CS
441900,1144190001,junior,8,8-01,67
441900,1144190001,junior,8,8-02,55
CSV
cp inbox/guangdong/441900_class_size_2022-autumn.csv "inbox/guangdong/441900_class_size_2022-autumn (copy).csv"
cat > inbox/guangdong/441900_dropout_2022-autumn.csv <<CSV
$DO
441900,110102200907150032,,8,2022-10-01,transferred,2022-10-15,
CSV

# One file of the next period, so a run writes two indicator tables.
cat > inbox/beijing/110101_class_size_2023-spring.csv <<CSV
$CS
110101,1111010001,primary,1,1-01,45
CSV
