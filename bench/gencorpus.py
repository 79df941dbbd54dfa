#!/usr/bin/env python3
"""Build a benchmark corpus of N articles by repeating the given JSON Lines
files with fresh ids (id~K), so every article is stored as a new one.

The shared news corpus names few of the entities kg links, so its graph
is small and loosely connected; to give the query and map timings a
graph of realistic shape, every SYNTH-th English article (default 3; 0 to
disable) gets one extra sentence "A <verb> B." between gazetteer entities,
a quarter of them involving North Korea (Q423), the hub the benchmark
queries. Deterministic (seeded) so runs compare.

usage: gencorpus.py N OUT GAZETTEER.tsv.gz FILE.jsonl...
"""
import gzip
import json
import os
import random
import sys


def main():
    n, out, gaz, files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    synth = int(os.environ.get("SYNTH", "3"))
    recs = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    r = json.loads(line)
                except ValueError:
                    continue
                if isinstance(r, dict) and r.get("id") and r.get("text"):
                    recs.append(r)
    if not recs:
        sys.exit("gencorpus: no articles in " + " ".join(files))
    names = []
    with gzip.open(gaz, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 2 and cols[1] in ("country", "person", "organization/igo") and cols[2]:
                names.append(cols[2])
    verbs = ["condemned", "met", "sanctioned", "criticized", "accused", "supported", "threatened", "attacked"]
    rng = random.Random(42)
    with open(out, "w", encoding="utf-8") as w:
        for k in range(n):
            r = dict(recs[k % len(recs)])
            r["id"] = "%s~%d" % (r["id"], k)
            if synth and r.get("lang") == "en" and k % synth == 0:
                a, b = rng.choice(names), rng.choice(names)
                if rng.random() < 0.25:
                    a, b = ("North Korea", b) if rng.random() < 0.5 else (a, "North Korea")
                if a != b:
                    r["text"] = r["text"].rstrip() + "\n%s %s %s." % (a, rng.choice(verbs), b)
            w.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
