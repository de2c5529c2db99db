#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus under Fuzz/corpus/<harness>/ from the
shipped samples and a few hand-made hostile files. Each seed starts with the
harness's control byte (see each harness's comment). Run from the repo root:
python3 Fuzz/seeds.py"""
import gzip, hashlib, os, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "Fuzz" / "corpus"

def put(harness, data):
    d = corpus / harness
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)

samples = sorted((root / "samples").rglob("*"))
datasets = ["after_school", "dropout", "class_size"]
for p in samples:
    if not p.is_file() or p.suffix == ".sh":
        continue
    raw = p.read_bytes()
    if len(raw) > 4096:
        continue
    name = p.name
    ds = next((i for i, d in enumerate(datasets) if f"_{d}_" in name), 0)
    text = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    if ".csv" in name:
        put("FuzzCSV", bytes([0x07]) + raw)
        put("FuzzValidate", bytes([ds | (0 << 3)]) + raw)
    elif ".xml" in name:
        put("FuzzXML", bytes([(ds << 3) | 5 | 0x40]) + text)
        put("FuzzValidate", bytes([ds | (1 << 3)]) + raw)

hdr = b"county_code,student_id,school_id,grade,identified_on,status,resolved_on,reason\n"
row = b"110101,110101200501010017,,5,2022-09-01,out,,economic\n"
put("FuzzCSV", bytes([0x03]) + hdr.replace(b"\n", b"\r") + row.replace(b"\n", b"\r"))
put("FuzzCSV", bytes([0x41]) + ("学校名称,\"第一小学\n" + "课" * 200).encode("gb18030"))
put("FuzzCSV", bytes([0x00]) + gzip.compress(hdr + row) + gzip.compress(row))
put("FuzzValidate", bytes([1]) + row)
put("FuzzValidate", bytes([1]) + hdr + row.replace(b",,5", b",110101200501010017,5"))
rec = '<record county_code="110101" school_id="1111010001" stage="primary" grade="1" class_id="1-01" students="45"/>\n'
doc = '<submission dataset="class_size" county="110101" period="2022-autumn">\n' + rec * 3 + "</submission>\n"
put("FuzzXML", bytes([(2 << 3) | 2]) + doc.encode("gbk") + b"\x81")
put("FuzzXML", bytes([(2 << 3) | 0]) + doc.replace('students="45"', 'xmlns:a="u" a:students="1" students="2"').encode())
put("FuzzXML", bytes([(2 << 3) | 4]) + doc.replace("1-01", "一班").encode("gb18030"))
put("FuzzValidate", bytes([2 | (1 << 3)]) + b'<?xml version="1.0" encoding="GB2312"?>\n' + doc.encode("gb2312"))
# The flat form FlatXMLReader reads: elements with entities, CRLF, a field twice, an empty one.
elem = ("<record>\r\n <county_code>110101</county_code><school_id/>\r\n <stage> primary </stage>"
        "<class_id>a &amp; b &lt;c&gt;</class_id><students>45</students><students>46</students></record>\r\n")
flat = '<submission dataset="class_size" county="110101" period="2022-autumn">\r\n' + rec + elem * 2 + "</submission>\r\n"
put("FuzzXML", bytes([(2 << 3) | 1]) + flat.encode())
put("FuzzXML", bytes([(2 << 3) | 1 | 0x40]) + flat.replace("1-01", "初一(2)班").encode())
for n in ["110101_class_size_2022-autumn_r2.csv.gz", "110101_dropout_2022-spring.xml", "a/b/110101_after_school_2022-autumn_r0.csv",
          "\xb1\xb1\xbe\xa9/110101_dropout_2022-autumn.csv", "110101200501010017.csv", ".part", "x.tmp",
          "..%2F110101_class_size_2022-autumn.csv", "%E4%B8%AD%00.csv", "110101_class_size_2022-autumn%2Ecsv%2F"]:
    put("FuzzName", n.encode("latin-1"))
put("FuzzConfig", b"\x00" + (root / "pipelines" / "basic-education-2022.yaml").read_bytes())
put("FuzzConfig", b"\x01" + b"code,name,level,parent_code\n110000,x,province,\n110100,y,prefecture,110000\n110101,z,county,110100\n")
put("FuzzConfig", b"\x01" + "code,name,level,parent_code\n110000,北京,province,\n".encode("gb18030"))
