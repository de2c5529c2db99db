#!/usr/bin/env python3
"""Turns `perf script` output into a flame graph (SVG), for docs/performance.md.

usage: perf script -i perf.data | scripts/flamegraph.py "title" > out.svg

Stacks are folded root first; Swift names are demangled (swift demangle
--simplified) and shortened to their last two components. A frame's width is
its share of the samples; hover shows the full name and the share. Standard
library only, so it runs wherever perf does.
"""
import collections, html, re, subprocess, sys

def read_stacks(lines):
    stacks, frames = collections.Counter(), []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                stacks[tuple(reversed(frames))] += 1
                frames = []
            continue
        if line[0] not in " \t":
            continue  # the sample's header line
        parts = line.strip().split(None, 1)
        if len(parts) < 2:
            continue
        name = re.sub(r"\s+\(.*\)$", "", parts[1])
        name = re.sub(r"\+0x[0-9a-f]+$", "", name)
        frames.append(name)
    if frames:
        stacks[tuple(reversed(frames))] += 1
    return stacks

def demangle(names):
    names = sorted(names)
    try:
        out = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(names),
                             capture_output=True, text=True, timeout=120).stdout.split("\n")
    except Exception:
        out = names
    short = {}
    for raw, full in zip(names, out):
        full = full or raw
        full = re.sub(r"<[^<>]*>", "", full)
        full = re.sub(r"\(.*", "", full) if not full.startswith("(") else full
        full = full.split("@@")[0]
        parts = [p for p in full.split(".") if p]
        swift = raw.startswith(("$s", "_$s")) or "Swift" in raw
        short[raw] = ".".join(parts[-2:]) if swift and len(parts) > 2 else full
    return short

def color(name):
    h = sum(map(ord, name)) % 60
    if "Edupipe" in name or name.startswith(("CSV", "Record", "XML", "Gzip", "Submission", "Intake", "Ledger")):
        return f"rgb({220 + h % 30},{120 + h},{40})"
    if name.startswith("[k]") or name.islower():
        return f"rgb({200},{150 + h},{150 + h})"
    return f"rgb({230},{170 + h // 2},{60 + h})"

def main():
    title = sys.argv[1] if len(sys.argv) > 1 else "flame graph"
    stacks = read_stacks(sys.stdin)
    total = sum(stacks.values())
    if total == 0:
        sys.exit("no samples")
    short = demangle({f for s in stacks for f in s})
    tree = {}
    for stack, n in stacks.items():
        node = tree
        for f in stack:
            entry = node.setdefault(short.get(f, f), [0, {}, f])
            entry[0] += n
            node = entry[1]
    width, row, minw = 1200, 16, 0.5
    rects, depth_max = [], 0
    def walk(node, x, depth):
        nonlocal depth_max
        for name, (n, children, raw) in sorted(node.items()):
            w = n / total * width
            if w >= minw:
                rects.append((x, depth, w, name, n))
                depth_max = max(depth_max, depth)
                walk(children, x, depth + 1)
            x += w
    walk(tree, 0.0, 0)
    height = (depth_max + 3) * row
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" font-size="11">',
           f'<rect width="100%" height="100%" fill="#fdfdf8"/>',
           f'<text x="6" y="13" font-size="13">{html.escape(title)} ({total} samples)</text>']
    for x, depth, w, name, n in rects:
        y = height - (depth + 1) * row
        label = name if len(name) * 6.6 < w - 4 else name[: max(0, int((w - 4) / 6.6) - 2)] + ".." if w > 30 else ""
        out.append(f'<g><title>{html.escape(name)}: {n} samples, {100 * n / total:.1f}%</title>'
                   f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 1}" fill="{color(name)}" rx="1"/>'
                   f'<text x="{x + 2:.1f}" y="{y + 11}">{html.escape(label)}</text></g>')
    out.append("</svg>")
    print("\n".join(out))

if __name__ == "__main__":
    main()
