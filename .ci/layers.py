#!/usr/bin/env python3
"""Checks the layering of the crate's modules: each top-level module of src/ may use (`crate::X`,
`muutostieto::X` in the binary, `super::` inside its own folder) only modules of a lower layer.
Test modules (after `#[cfg(test)]`) and comments are not counted. Exit 1 on any violation.

Usage: .ci/layers.py [SRC_DIR]"""
import os
import re
import sys

# Lowest first. A module may use modules of lower layers only (same layer: not allowed, so
# no cycle can form).
LAYERS = [
    ["encoding", "api"],          # leaves: byte encodings; the new API's JSON model (serde only)
    ["hetu", "municipality"],     # identity codes, the municipality code table
    ["diag"],                     # diagnostics and errors
    ["field"],                    # typed field values
    ["layout"],                   # the one definition of every header and group
    ["frame"],                    # lines, header, groups
    ["record"],                   # records of any family
    ["read", "write", "json"],    # readers, writer, the line-echo JSON shape
    ["person", "building", "dynamic"],  # record families
    ["detect", "idlist", "convert"],  # family detection, person-id lists, conversion to the API model
    ["register", "export"],
    ["testdata"],                 # the generator
    ["cli"],                      # the binary
]
LEVEL = {m: i for i, layer in enumerate(LAYERS) for m in layer}


def uses(text, own):
    text = re.sub(r"//[^\n]*", "", text)
    text = text.split("#[cfg(test)]")[0]
    found = set(re.findall(r"\b(?:crate|muutostieto)::([a-z_][a-z0-9_]*)", text))
    for grp in re.findall(r"\b(?:crate|muutostieto)::\{([^}]*)\}", text):
        found |= set(re.findall(r"(?:^|[,{\s])([a-z_][a-z0-9_]*)(?=::|\s*[,}]|$)", grp))
    return {m for m in found if m in LEVEL and m != own}


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "src"
    bad = []
    seen = set()
    for root, _, files in os.walk(src):
        for f in sorted(files):
            if not f.endswith(".rs"):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, src).split(os.sep)
            top = rel[0][:-3] if rel[0].endswith(".rs") else rel[0]
            if top in ("lib", "main"):
                continue
            if top not in LEVEL:
                bad.append(f"{path}: module {top} is not in .ci/layers.py's LAYERS")
                continue
            seen.add(top)
            for m in sorted(uses(open(path, encoding="utf-8").read(), top)):
                if LEVEL[m] >= LEVEL[top]:
                    bad.append(f"{path}: {top} (layer {LEVEL[top]}) uses {m} (layer {LEVEL[m]})")
    for b in bad:
        print(b)
    print(f"layers: {len(seen)} modules, {len(bad)} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
