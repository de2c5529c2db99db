"""The ISA-L decompression floor: inflate every .gz file of a folder on one
core with ISA-L (python-isal, in the bench's own virtual environment), doing
nothing else with the bytes."""
import os
import sys
from isal import isal_zlib

total = 0
for d, _, names in sorted(os.walk(sys.argv[1])):
    for name in sorted(names):
        if name.endswith(".gz"):
            with open(os.path.join(d, name), "rb") as f:
                total += len(isal_zlib.decompressobj(31).decompress(f.read()))
print(total)
