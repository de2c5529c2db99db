"""The functions callgrind profiles saw run, hottest first, as an lld
symbol ordering file (link/edupipe.order; scripts/link-order.sh).

Usage: link-order.py PROFILE... > link/edupipe.order
"""
import collections
import re
import sys

cost = collections.Counter()
for path in sys.argv[1:]:
    names = {}
    cur = None
    pending_call = False
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"^(c?)fn=\((\d+)\)(?: (.*))?$", line)
        if m:
            if m.group(3): names[m.group(2)] = m.group(3).strip()
            if not m.group(1): cur = names.get(m.group(2))
            continue
        if line.startswith("calls="):
            pending_call = True
            continue
        if cur and line[:1].isdigit() or (cur and line[:1] in "+-*"):
            if pending_call:
                pending_call = False
                continue
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit(): cost[cur] += int(parts[1])
    for n in names.values(): cost[n] += 0
seen = [n for n, _ in cost.most_common() if not n.startswith("0x") and not n.startswith("(") and " " not in n]
sys.stdout.write("\n".join(seen) + "\n")
