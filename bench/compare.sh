#!/usr/bin/env bash
# Java vs PyTorch CPU on the same FLUX double/single block shapes, in one run, on this machine.
#
#   bench/compare.sh [--size 512] [--warmup 1] [--reps 3] [--dtypes "f32 bf16 fp8 q8_0 q4_k"] [--rounds 1]
#                    [--amx-dtypes "bf16 q8_0"] [--no-kernels | --kernels-for "f32 bf16"]
#                    [--java-opts "-XX:UseAVX=2"] [--openblas-core Haswell] [--out bench/results/compare-512.json]
#
# Runs PyTorch (Debian's python3-torch + libopenblas0-pthread, installed here if missing; a benchmark peer only, never a uso4j dependency)
# in f32 at its best on this CPU (OpenBLAS forced to its SkylakeX kernels only where the CPU has AVX-512: Debian's
# OpenBLAS may not know newer AVX-512 CPUs; elsewhere its own detection, which is right there and where SkylakeX
# kernels cannot run; the kernels it really used are printed) and in bf16 (oneDNN, AMX on Sapphire Rapids), both on
# torch.set_num_threads(nproc), and `./uso4j bench blocks` for each dtype, alternating engines so that load from
# other processes hits both alike. With --rounds N everything is repeated N times and the report uses the round
# with the median uso4j bf16 block time (all rounds' JSON files are kept). Prints the table and ratios and writes
# one combined JSON. Each dtype in --amx-dtypes (default: bf16) is run a second time with --precision bf16 (linear
# layers on AMX tiles); where the CPU has no AMX those rows are skipped, saying so.
# --java-opts passes JVM flags to uso4j (e.g. "-XX:UseAVX=2" runs uso4j's AVX2 path on an AVX-512 CPU) and
# --openblas-core forces the peer's OpenBLAS kernels (e.g. Haswell: its AVX2 kernels), for a like-for-like
# comparison of narrower paths on one machine; such runs are labelled by the ISA each engine used.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
size=512 warmup=1 reps=3 dtypes="f32 bf16 fp8 q8_0 q4_k" amx_dtypes="bf16" rounds=1 kernels_for="*" out="" java_opts="" openblas_core=""
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --dtypes) dtypes="$2"; shift 2 ;;
    --amx-dtypes) amx_dtypes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --no-kernels) kernels_for=""; shift ;;
    --kernels-for) kernels_for="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --openblas-core) openblas_core="$2"; shift 2 ;;
    *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
out="${out:-$root/bench/results/compare-$size.json}"
py=/usr/bin/python3   # Debian's python, where python3-torch lives (not a pyenv/venv python)
threads="$(nproc)"

# python3-torch alone pulls in netlib's reference BLAS (torch's f32 matmul ~50x slower): OpenBLAS must be there too
if ! "$py" -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "compare.sh: installing Debian's python3-torch and OpenBLAS (benchmark peer only)" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get install -y python3-torch libopenblas0-pthread \
    || { $sudo apt-get update && $sudo apt-get install -y python3-torch libopenblas0-pthread; }
fi

work="${out%.json}-runs"   # every run's own JSON, next to the report
mkdir -p "$work"
echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg) ==" >&2
flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
# the peer's BLAS kernels: forced where asked, SkylakeX on AVX-512 CPUs, else OpenBLAS's own detection
peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
if [ -n "$openblas_core" ]; then
  peer_env+=(OPENBLAS_CORETYPE="$openblas_core")
elif [[ "$flags" == *" avx512f "* ]]; then
  peer_env+=(OPENBLAS_CORETYPE=SkylakeX)
fi
if [[ "$flags" != *" amx_bf16 "* ]] && [ -n "$amx_dtypes" ]; then
  echo "== no AMX on this CPU: the --precision bf16 (AMX) rows are skipped ==" >&2
  amx_dtypes=""
fi
export USO4J_JAVA_OPTS="${USO4J_JAVA_OPTS:-} $java_opts"
"$root/uso4j" bench peak --seconds 0.5 --json "$work/fma-peak.json" >&2

"$root/uso4j" --version >/dev/null   # builds the jar first if needed, outside the timings
for r in $(seq 1 "$rounds"); do
  files=()
  echo "== round $r/$rounds ==" >&2
  "${peer_env[@]}" "$py" "$here/pytorch_blocks.py" --mode f32 --size "$size" --threads "$threads" \
    --warmup "$warmup" --reps "$reps" --json "$work/r$r-pytorch-f32.json"
  files+=("$work/r$r-pytorch-f32.json")
  for d in $dtypes; do
    if [ "$d" = bf16 ]; then
      "$py" "$here/pytorch_blocks.py" --mode bf16 --size "$size" --threads "$threads" \
        --warmup "$warmup" --reps "$reps" --json "$work/r$r-pytorch-bf16.json"
      files+=("$work/r$r-pytorch-bf16.json")
    fi
    kernels="--no-kernels"
    case " $kernels_for " in *" $d "*|" * ") kernels="" ;; esac
    "$root/uso4j" bench blocks --size "$size" --dtype "$d" --threads "$threads" --warmup "$warmup" --reps "$reps" \
      $kernels --json "$work/r$r-uso4j-$d.json"
    files+=("$work/r$r-uso4j-$d.json")
  done
  for d in $amx_dtypes; do
    kernels="--no-kernels"
    case " $kernels_for " in *" $d-amx "*|" * ") kernels="" ;; esac
    "$root/uso4j" bench blocks --size "$size" --dtype "$d" --precision bf16 --threads "$threads" --warmup "$warmup" \
      --reps "$reps" $kernels --json "$work/r$r-uso4j-$d-amx.json"
    files+=("$work/r$r-uso4j-$d-amx.json")
  done
  "$py" "$here/compare_report.py" "$work/r$r-report.json" "${files[@]}"
done

# the round whose uso4j bf16 (else first dtype) double+single time is the median
pick="$("$py" - "$work" "$rounds" "$dtypes" <<'PY'
import json, sys
work, rounds, dtypes = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
d = "bf16" if "bf16" in dtypes else dtypes[0]
t = []
for r in range(1, rounds + 1):
    j = json.load(open(f"{work}/r{r}-uso4j-{d}.json"))
    t.append((j["double_block_s"] + j["single_block_s"], r))
t.sort()
print(t[(len(t) - 1) // 2][1])
PY
)"
cp "$work/r$pick-report.json" "$out"
echo "report: round $pick of $rounds -> $out" >&2
