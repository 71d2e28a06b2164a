#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's testdata/ (generated files; no real data)
# and from the hand-made inputs below. Large files are cut into small pieces: libFuzzer works
# best on inputs of a few KB.
#
# The corpus is committed (fuzz/corpus/<target>/, about 750 small files, 1 MB, in all):
# tests/fuzz_replay.rs replays it in `cargo test` and fails when a target's folder is empty.
# It was made by running this script, fuzzing each target for 150 s and minimising with a
# set-cover cmin on edges only: a plain cmin keeps every feature (edges with hit counts) and
# left 750-1500 files per target; the set cover keeps a smallest set found that still reaches
# every edge. To refresh the corpus (nightly Rust, `cargo install cargo-fuzz`), one fuzzer at
# a time, for each target (record reader roundtrip families idlist):
#
#   fuzz/seed.sh                        # adds the seeds to what is there (same names: overwritten)
#   cd fuzz
#   cargo +nightly fuzz run <target> -- -max_total_time=150 -max_len=4096 -jobs=1 -workers=1
#   cargo +nightly fuzz cmin <target> -- -set_cover_merge=1 -use_counters=0
#
# and commit fuzz/corpus (`git add -A fuzz/corpus`: cmin renames and removes files; with
# -jobs=1 libFuzzer's log goes to fuzz/fuzz-0.log, which is ignored). Crash files land in
# fuzz/artifacts/<target>/: commit them too (they are always all replayed) until the bug is
# fixed and has its own test.
#
# Never seed with real register data (e.g. the shared samples outside the repository): the
# corpus is committed and published with the repository (not with the crate: Cargo.toml's
# `exclude`).
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
# Hand-made records for what testdata/ has little of: LF and CR endings, a bare CR, no final
# separator, no line ending at the end, continuation lines ('J' at index 22, and in the role at
# 23), a bad group count, an unknown group, multi-byte UTF-8 and ISO-8859-15 bytes, a long line
# (the reader's line limits), blank lines and an envelope alone. `hand NAME FORMAT [ARGS]`
# writes printf's output to record/, roundtrip/, families/ and (with a first byte) reader/.
hand() {
  local name="hand-$1"
  shift
  # shellcheck disable=SC2059 # the format is ours
  printf "$@" > "$here/corpus/roundtrip/$name"
  cp "$here/corpus/roundtrip/$name" "$here/corpus/record/$name"
  cp "$here/corpus/roundtrip/$name" "$here/corpus/families/$name"
  for p in 0 17 40; do
    { printf "\\$(printf '%03o' "$p")"; cat "$here/corpus/roundtrip/$name"; } \
      > "$here/corpus/reader/$name.p$p"
  done
}
h="100482-964XXCM2019120206" # a header up to the group count (made-up id)
hand lf "${h}02|0021fi|00312|\n${h}01|0021sv|\n"
hand cr "${h}02|0021fi|00312|\r${h}01|0021sv|\r"
hand bare-cr "${h}02|0021\rfi|00312|\r\n"
hand no-final-sep "${h}02|0021fi|00312\r\n${h}01|0021sv\r\n"
hand no-eol "${h}02|0021fi|00312|"
hand continuation "${h}01|0021fi|\r\n100482-964XXCM20191202J001|00312|\r\n100482-964XXCM20191202J001|0021sv|\r\n"
hand orphan-continuation "100482-964XXCM20191202J001|00312|\r\n${h}01|0021fi|\r\n"
hand j-in-role "${h}01|0021fi|\r\n100482-964XXCM201912020J01|00312|\r\n"
hand bad-count "100482-964XXCM20191202 6X1|0021fi|\r\n100482-964XXCM20191202 6  |\r\n"
hand unknown-group "${h}03|9991?|0021fi|007|\r\n"
hand utf8 "${h}01|0041%-100s%-100s000000003|\r\n" "$(printf 'J\303\244rvel\303\244')" "$(printf '\303\204ij\303\244 \342\202\254')"
hand latin9 "${h}01|0041%-100s%-100s000000003|\r\n" "$(printf 'J\344rvel\344')" "$(printf '\304ij\344 \244\275')"
hand long-line "${h}01|0021fi|%01500d|\r\n${h}01|0021sv|\r\n" 0
hand blank-lines "\r\n\n\r\r\n${h}01|0021fi|\r\n\n"
hand envelope "'''ENVELOPE'''synthetic'"
# Person-id lists: the samples' shape, made by the crate's builder in the tests; small ones here
# (the ids are made up, as in the idlist module's docs).
ed2="'''ED2'''VRK:003702454372:OVT'TIETO:0037OPHALL:OVT'201711161327'1'STX:INHOUSE'TYP:MUTPHT'NRQ:0'''"
printf "$ed2\n131052-308TL\n010101A900RL\n010101A900RP\n'''EOF'''3'" \
  > "$here/corpus/idlist/builder.HTT"
printf "'''ED2'''VRK:1:OVT'X:2:OVT'201713161327'1'STX:INHOUSE'TYP:MUTPHT'NRQ:0'extra'''\r\n131052-308U\r\n\r\n'''EOF'''x'\r\nafter" \
  > "$here/corpus/idlist/broken.HTT"
printf "$ed2\n010141-412AL\n060371-807MP\n'''EOF'''2'\n" > "$here/corpus/idlist/hand-lf.HTT"
printf "$ed2\r010141-412AL\r'''EOF'''1'\r" > "$here/corpus/idlist/hand-cr.HTT"
printf "$ed2\r\n'''EOF'''0'" > "$here/corpus/idlist/hand-empty.HTT"
printf "010141-412AL\r\n060371-807MX\r\n060371-807M\r\n010141-412al\r\n" \
  > "$here/corpus/idlist/hand-no-header.HTT"
printf "$ed2\r\n010141-412AL \r\n'''EOF'''7'\r\n'''EOF'''1'\r\n" > "$here/corpus/idlist/hand-count.HTT"
printf "%s\r\n010141-412AL\r\n" "${ed2/201711161327/2017111613}" \
  > "$here/corpus/idlist/hand-bad-header.HTT"
echo "seeded: $(find "$here/corpus" -type f | wc -l) files"
