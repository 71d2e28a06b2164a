#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's testdata/ (generated files; no real data).
# Large files are cut into small pieces: libFuzzer works best on inputs of a few KB.
# Usage: fuzz/seed.sh   (then: cd fuzz && cargo +nightly fuzz run <target>)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
testdata="$here/../testdata"
for target in record reader roundtrip families idlist; do
  mkdir -p "$here/corpus/$target"
done
for f in "$testdata"/*; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  case "$name" in
    large*) continue ;;
  esac
  # Pieces of 1, 3 and 8 lines from the start of each file, and the whole file when small.
  for n in 1 3 8; do
    head -n "$n" "$f" > "$here/corpus/roundtrip/$name.$n"
    cp "$here/corpus/roundtrip/$name.$n" "$here/corpus/record/$name.$n"
    cp "$here/corpus/roundtrip/$name.$n" "$here/corpus/families/$name.$n"
    # The reader target's first byte picks buffer capacity and line limit.
    for p in 0 17 40; do
      { printf "\\$(printf '%03o' "$p")"; cat "$here/corpus/roundtrip/$name.$n"; } \
        > "$here/corpus/reader/$name.$n.p$p"
    done
  done
  if [ "$(wc -c < "$f")" -le 8192 ]; then
    cp "$f" "$here/corpus/roundtrip/$name"
  fi
done
# Person-id lists: the samples' shape, made by the crate's builder in the tests; a small one here.
printf "'''ED2'''VRK:003702454372:OVT'TIETO:0037OPHALL:OVT'201711161327'1'STX:INHOUSE'TYP:MUTPHT'NRQ:0'''\n131052-308TL\n010101A900RL\n010101A900RP\n'''EOF'''3'" \
  > "$here/corpus/idlist/builder.HTT"
printf "'''ED2'''VRK:1:OVT'X:2:OVT'201713161327'1'STX:INHOUSE'TYP:MUTPHT'NRQ:0'extra'''\r\n131052-308U\r\n\r\n'''EOF'''x'\r\nafter" \
  > "$here/corpus/idlist/broken.HTT"
echo "seeded: $(find "$here/corpus" -type f | wc -l) files"
