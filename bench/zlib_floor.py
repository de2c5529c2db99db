"""The decompression floor: inflate every .gz file of a folder on one core,
doing nothing else with the bytes. With --isal, ISA-L's inflate
(python-isal, in the bench's own virtual environment) instead of zlib's."""
import os
import sys

if sys.argv[1] == "--isal":
    from isal import isal_zlib as inflater
    folder = sys.argv[2]
else:
    import zlib as inflater
    folder = sys.argv[1]

total = 0
for d, _, names in sorted(os.walk(folder)):
    for name in sorted(names):
        if name.endswith(".gz"):
            with open(os.path.join(d, name), "rb") as f:
                total += len(inflater.decompressobj(31).decompress(f.read()))
print(total)
