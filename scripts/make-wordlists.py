#!/usr/bin/env python3
"""Regenerates data/wordlists/{en,fr}-zipf.tsv from the wordfreq package.

    python3 -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq
    /tmp/wf/bin/python scripts/make-wordlists.py

Each line is `word<TAB>zipf` (log10 of occurrences per billion words, one decimal),
lower case, words of letters with inner hyphens or apostrophes, Zipf 2.0 or more.
"""
import os
import re

import wordfreq

WORD = re.compile(r"^[a-zà-öø-ÿœæ][a-zà-öø-ÿœæ'-]*$")
OUT = os.path.join(os.path.dirname(__file__), "..", "data", "wordlists")

for lang, n in (("en", 30000), ("fr", 60000)):
    rows = []
    for w in wordfreq.top_n_list(lang, n):
        z = wordfreq.zipf_frequency(w, lang)
        if WORD.match(w) and z >= 2.0:
            rows.append(f"{w}\t{z:.1f}")
    with open(os.path.join(OUT, f"{lang}-zipf.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    print(lang, len(rows))
