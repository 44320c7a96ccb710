#!/usr/bin/env python3
"""Reference figures: Google's myanmartools detector (PyPI, Apache-2.0) on the
same pairs, at its customary 0.95 threshold and at 0.5.  Only for comparison;
nothing of it is used by src/zawgyi/.

  python3 -m venv /tmp/mt && /tmp/mt/bin/pip install myanmartools
  /tmp/mt/bin/python bench/zawgyi/reference_myanmartools.py
"""
import os
from myanmartools import ZawgyiDetector

HERE = os.path.dirname(os.path.abspath(__file__))
PAIRS = os.path.join(HERE, "..", "..", "tests", "data", "zawgyi", "pairs.tsv")
pairs = []
for line in open(PAIRS, encoding="utf-8"):
    line = line.rstrip("\n")
    if line and not line.startswith("#"):
        u, z = line.split("\t")
        if u != z:
            pairs.append((u, z))
d = ZawgyiDetector()
for thr in (0.5, 0.95):
    tp = sum(d.get_zawgyi_probability(z) > thr for _, z in pairs)
    fp = sum(d.get_zawgyi_probability(u) > thr for u, _ in pairs)
    n = len(pairs)
    print(f"myanmartools, threshold {thr}: recall {100 * tp / n:.2f} % ({tp}/{n}), "
          f"false positive rate {100 * fp / n:.2f} % ({fp}/{n})")
