#!/usr/bin/env bash
# Writes samples/inbox-2023: a small inbox for the 2023 plan
# (pipelines/basic-education-2023.yaml), with the two collections it adds
# (campus_safety, preschool) beside the 2022 ones: CSV, XML and gzip, a
# GB18030 file, a rejected file and the revision that fixes it, a file with
# a header and no records. Deterministic (gzip -n stores no name or time).
set -euo pipefail
cd "$(dirname "$0")"
rm -rf inbox-2023
mkdir -p inbox-2023/beijing inbox-2023/hubei inbox-2023/guangdong
CA=county_code,school_id,school_name,stage,full_time_guard,closed_management,alarm_video_linked,guard_post
PS=county_code,school_id,school_name,ownership,inclusive,children
CS=county_code,school_id,stage,grade,class_id,students

# 北京 东城区 110101: campus safety (one school without a guard post),
# preschool (two public kindergartens and a private one), class sizes.
cat > inbox-2023/beijing/110101_campus_safety_2023-autumn.csv <<CSV
$CA
110101,1111010001,北京市东城区史家胡同小学,primary,是,是,是,是
110101,1111010002,"北京市东城区第一实验小学, 东校区",primary,是,是,是,是
110101,1111010003,北京市第二中学分校,junior,是,是,是,否
110101,1111010005,北京市东城区第一幼儿园,kindergarten,1,1,1,1
CSV
cat > inbox-2023/beijing/110101_preschool_2023-autumn.csv <<CSV
$PS
110101,1111010005,北京市东城区第一幼儿园,public,1,360
110101,1111010006,北京市东城区第二幼儿园,public,是,240
110101,1111010007,东城区阳光双语幼儿园,private,0,150
CSV
cat > inbox-2023/beijing/110101_class_size_2023-autumn.csv <<CSV
$CS
110101,1111010001,primary,1,1-01,44
110101,1111010001,primary,2,2-01,56
110101,1111010003,junior,7,7-01,50
CSV

# 北京 西城区 110102: both collections in XML (elements; gzipped attributes).
cat > inbox-2023/beijing/110102_campus_safety_2023-autumn.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<submission dataset="campus_safety" county="110102" period="2023-autumn">
  <record>
    <county_code>110102</county_code><school_id>1111020001</school_id><school_name>北京第一实验小学</school_name>
    <stage>primary</stage><full_time_guard>Y</full_time_guard><closed_management>Y</closed_management>
    <alarm_video_linked>Y</alarm_video_linked><guard_post>Y</guard_post>
  </record>
  <record>
    <county_code>110102</county_code><school_id>1111020002</school_id><school_name>北京市第八中学</school_name>
    <stage>combined</stage><full_time_guard>Y</full_time_guard><closed_management>N</closed_management>
    <alarm_video_linked>Y</alarm_video_linked><guard_post>Y</guard_post>
  </record>
</submission>
XML
cat <<XML | gzip -n > inbox-2023/beijing/110102_preschool_2023-autumn.xml.gz
<?xml version="1.0" encoding="UTF-8"?>
<submission dataset="preschool" county="110102" period="2023-autumn">
  <record county_code="110102" school_id="1111020005" school_name="西城区实验幼儿园" ownership="public" inclusive="true" children="420"/>
  <record county_code="110102" school_id="1111020006" school_name="西城区启明幼儿园" ownership="private" inclusive="true" children="180"/>
</submission>
XML

# 湖北 武汉市江岸区 420102: preschool in GB18030 with CRLF, as Excel on a
# Chinese Windows saves "CSV (逗号分隔)"; campus safety in UTF-8.
printf '%s\r\n' "$PS" \
  "420102,1142010005,江岸区育才幼儿园,public,是,300" \
  "420102,1142010006,江岸区小天使幼儿园,private,是,210" \
  "420102,1142010007,江岸区博雅幼儿园,private,否,190" \
  | iconv -f UTF-8 -t GB18030 > inbox-2023/hubei/420102_preschool_2023-autumn.csv
cat > inbox-2023/hubei/420102_campus_safety_2023-autumn.csv <<CSV
$CA
420102,1142010001,武汉市江岸区育才小学,primary,是,是,否,是
420102,1142010002,武汉市第二中学,senior,是,是,是,是
CSV

# 湖北 仙桃市 429004 (a county directly under the province): revision 1
# lists a public kindergarten as not inclusive (E_RULE) and is rejected;
# revision 2 fixes it and is in force.
cat > inbox-2023/hubei/429004_preschool_2023-autumn.csv <<CSV
$PS
429004,1142900401,仙桃市第一幼儿园,public,否,280
429004,1142900402,仙桃市童心幼儿园,private,否,120
CSV
cat > inbox-2023/hubei/429004_preschool_2023-autumn_r2.csv <<CSV
$PS
429004,1142900401,仙桃市第一幼儿园,public,是,280
429004,1142900402,仙桃市童心幼儿园,private,否,120
CSV

# 广东 东莞市 441900: a campus-safety file with its header and no school
# (E_EMPTY: unlike a dropout list, an empty safety report says nothing).
echo "$CA" > inbox-2023/guangdong/441900_campus_safety_2023-autumn.csv
