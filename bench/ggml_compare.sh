#!/usr/bin/env bash
# uso4j vs ggml — the CPU tensor library stable-diffusion.cpp runs FLUX on — on the same FLUX block shapes, in one run.
#
#   bench/ggml_compare.sh [--size 512] [--reps 3] [--types "bf16 q8_0"] [--out bench/results/ggml-512.json]
#
# Gets ggml's sources from the npm registry (the llama.cpp release bundled in node-llama-cpp@3.22.1, ggml as
# used by llama.cpp and stable-diffusion.cpp), builds it with GGML_NATIVE=ON (-march=native: AVX-512, VNNI,
# BF16, AMX flags on this CPU) in ~/.cache/uso4j-bench, compiles bench/ggml/ggml_blocks.c against it, and runs,
# for each weight type, ggml's double + single block matmuls + attention (sd.cpp's default attention, and flash
# attention) next to `./uso4j bench blocks` (float32 products and AMX bf16). ggml's figures leave out norms,
# modulation, RoPE and gating, so they are a lower bound for stable-diffusion.cpp's blocks. Nothing of ggml is
# committed or used by uso4j; it is a benchmark peer, like PyTorch in compare.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
size=512 reps=3 types="bf16 q8_0" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --types) types="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "ggml_compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
out="${out:-$root/bench/results/ggml-$size.json}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/uso4j-bench/ggml"
threads="$(nproc)"
mkdir -p "$cache"
if [ ! -f "$cache/build/ggml/src/libggml.a" ] && [ ! -f "$cache/build/src/libggml.a" ]; then
  command -v cmake >/dev/null || { echo "ggml_compare.sh: needs cmake and a C compiler (apt-get install -y cmake gcc g++)" >&2; exit 2; }
  echo "ggml_compare.sh: fetching ggml (node-llama-cpp@3.22.1's llama.cpp bundle) from npm into $cache" >&2
  (cd "$cache" && npm pack --silent node-llama-cpp@3.22.1 >/dev/null && tar xzf node-llama-cpp-3.22.1.tgz package/llama/gitRelease.bundle \
    && rm -rf src && git clone -q package/llama/gitRelease.bundle src)
  rm -rf "$cache/build"
  cmake -S "$cache/src" -B "$cache/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_CURL=OFF \
    -DGGML_OPENMP=ON >&2
  cmake --build "$cache/build" -j "$threads" --target ggml ggml-base ggml-cpu >&2
fi
libs="$(find "$cache/build" -name 'libggml*.a' | sort -r | tr '\n' ' ')"
gcc -O2 -o "$cache/ggml_blocks" "$here/ggml/ggml_blocks.c" -I "$cache/src/ggml/include" -Wl,--start-group $libs -Wl,--end-group \
  -lstdc++ -lm -lpthread -fopenmp
"$root/uso4j" --version >/dev/null
work="${out%.json}-runs"; mkdir -p "$work"
files=()
for t in $types; do
  for fa in "" "--fa"; do
    f="$work/ggml-$t${fa:+-fa}.json"
    echo "== ggml $t ${fa:-(sd.cpp default attention)} ==" >&2
    "$cache/ggml_blocks" "$t" "$threads" "$reps" $fa --size "$size" | tee "$f" >&2
    files+=("$f")
  done
  for p in f32 bf16; do
    f="$work/uso4j-$t-$p.json"
    "$root/uso4j" bench blocks --size "$size" --dtype "$t" --precision "$p" --threads "$threads" --reps "$reps" --no-kernels --json "$f" >&2
    files+=("$f")
  done
done
python3 - "$out" "${files[@]}" <<'PY'
import json, sys
out, files = sys.argv[1], sys.argv[2:]
runs = [json.load(open(f)) for f in files]
print(f"\n{'':56s} {'double s':>9s} {'single s':>9s} {'d+s s':>8s}")
for r in runs:
    if r["engine"] == "ggml":
        name = f"ggml {r['dtype']} ({r['attention']}; matmuls+attention only)"
    else:
        name = f"uso4j {r['dtype']} ({'AMX bf16' if r.get('precision') == 'bf16' else 'f32 products'}; whole block)"
    r["label"] = name
    print(f"{name:56s} {r['double_block_s']:9.3f} {r['single_block_s']:9.3f} {r['double_block_s'] + r['single_block_s']:8.3f}")
json.dump({"runs": runs}, open(out, "w"), indent=2)
print(f"\nwrote {out}")
PY
