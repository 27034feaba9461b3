#!/bin/bash
# Builds the noise-adapted acoustic model of the English recogniser (STT-README.md,
# "Noise-adapted model"): the pocketsphinx-en-us means, variances and transition matrices
# MAP-adapted (sphinxtrain's bw + map_adapt) to our adaptation corpus (corpus-en.txt) spoken by
# four flite voices in the telephone band with white noise at 10, 15 and 20 dB SNR, passed
# through the recogniser's own input path (noise suppressor, 8 -> 16 kHz). Also global MLLR
# transforms (bw + mllr_solve) of the same data, the alternative it was compared with.
#
# Needs: flite, pocketsphinx-en-us, sphinxtrain, sphinxbase-utils (sphinx_fe),
# pocketsphinx (pocketsphinx_mdef_convert), python3 with numpy; a built engine (mvn offline).
# usage: engine/src/adapt/adapt.sh [work directory, default /tmp/voicecall-adapt]
# Writes:
#   engine/src/main/resources/voicecall/engine/stt/noise-adapted/{means,variances,
#     transition_matrices}       the shipped model (MAP, all four voices)
#   <work>/map-slt-rms, <work>/map-awb-kal16
#                                MAP from two voices each, for the cross-validation by voice
#                                (RecognitionAccuracyIT -Dstt.noiseTransform=<directory>)
#   <work>/mllr-all, mllr-slt-rms, mllr-awb-kal16   the MLLR transforms (-Dstt.noiseTransform=<file>)
# Set ADAPT_SOLVE_ONLY=1 to redo only the last steps from the statistics of an earlier run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$(cd "$here/../.." && pwd)"
work="${1:-/tmp/voicecall-adapt}"
system=/usr/share/pocketsphinx/model/en-us
export PATH="/usr/lib/sphinxtrain:$PATH"
snrs="${ADAPT_SNRS:-10,15,20}"
variants="${ADAPT_VARIANTS:-1:1}" # <stretch>:<speed> pairs (AdaptationAudio)
mkdir -p "$work"
work="$(cd "$work" && pwd)"

if [ -z "${ADAPT_SOLVE_ONLY:-}" ]; then
echo "== 1. adaptation audio ($snrs dB, variants $variants) -> $work/audio"
rm -rf "$work/audio"
(cd "$engine/.." && mvn -B -o -q -Pjmh -pl engine -am test-compile exec:exec \
  -Dspotless.check.skip=true -Djacoco.skip=true -Djmh.module=engine \
  -Djmh.main=voicecall.engine.stt.AdaptationAudio \
  -Djmh.args="$here/corpus-en.txt $work/audio $snrs $variants")

echo "== 2. the model as sphinxtrain reads it -> $work/model"
rm -rf "$work/model"
mkdir -p "$work/model"
for f in means variances transition_matrices noisedict feat.params; do
  ln -s "$system/en-us/$f" "$work/model/$f"
done
pocketsphinx_mdef_convert -text "$system/en-us/mdef" "$work/model/mdef.txt" 2>/dev/null
python3 "$here/mixture_weights.py" "$system/en-us/sendump" "$work/model/mixture_weights" 2>/dev/null

echo "== 3. features"
cat "$work"/audio/*.fileids > "$work/audio/all.fileids"
sphinx_fe -argfile "$system/en-us/feat.params" -samprate 16000 -raw yes -input_endian little \
  -c "$work/audio/all.fileids" -di "$work/audio" -do "$work/audio" -ei raw -eo mfc \
  > "$work/fe.log" 2>&1
fi

bw_group() { # name voice...
  local name="$1"
  shift
  local ids="$work/audio/$name.ids" lsn="$work/audio/$name.lsn"
  : > "$ids"
  : > "$lsn"
  for v in "$@"; do
    cat "$work/audio/$v.fileids" >> "$ids"
    cat "$work/audio/$v.transcription" >> "$lsn"
  done
  rm -rf "$work/acc-$name"
  mkdir -p "$work/acc-$name"
  echo "== 4. bw, $name ($(wc -l < "$ids") utterances)"
  bw -hmmdir "$work/model" -moddeffn "$work/model/mdef.txt" -ts2cbfn .ptm. \
    -feat 1s_c_d_dd -svspec 0-12/13-25/26-38 -cmn batch -agc none -varnorm no \
    -dictfn "$system/cmudict-en-us.dict" -fdictfn "$work/model/noisedict" \
    -ctlfn "$ids" -lsnfn "$lsn" -cepdir "$work/audio" -cepext mfc \
    -accumdir "$work/acc-$name" > "$work/bw-$name.log" 2>&1
}

solve() { # out accumdir...
  local out="$1"
  shift
  local dirs
  dirs="$(IFS=,; echo "$*")" # sphinxtrain takes a comma-separated list
  mllr_solve -meanfn "$work/model/means" -varfn "$work/model/variances" \
    -outmllrfn "$out" -accumdir "$dirs" > "$work/mllr-$(basename "$out").log" 2>&1
  echo "== 5. wrote $out"
}

if [ -z "${ADAPT_SOLVE_ONLY:-}" ]; then # set to re-solve from the accumulators of a run
  bw_group slt-rms slt rms
  bw_group awb-kal16 awb kal16
fi
map() { # out accumdir...
  local out="$1"
  shift
  local dirs
  dirs="$(IFS=,; echo "$*")"
  mkdir -p "$out"
  map_adapt -moddeffn "$work/model/mdef.txt" -ts2cbfn .ptm. \
    -meanfn "$work/model/means" -varfn "$work/model/variances" \
    -mixwfn "$work/model/mixture_weights" -tmatfn "$work/model/transition_matrices" \
    -accumdir "$dirs" -mapmeanfn "$out/means" -mapvarfn "$out/variances" \
    -maptmatfn "$out/transition_matrices" -mapmixwfn "$work/unused-mixture_weights" \
    > "$work/map-$(basename "$out").log" 2>&1
  rm -f "$work/unused-mixture_weights"
  echo "== 5. wrote $out"
}

map "$engine/src/main/resources/voicecall/engine/stt/noise-adapted" \
  "$work/acc-slt-rms" "$work/acc-awb-kal16"
map "$work/map-slt-rms" "$work/acc-slt-rms"
map "$work/map-awb-kal16" "$work/acc-awb-kal16"
solve "$work/mllr-all" "$work/acc-slt-rms" "$work/acc-awb-kal16"
solve "$work/mllr-slt-rms" "$work/acc-slt-rms"
solve "$work/mllr-awb-kal16" "$work/acc-awb-kal16"
