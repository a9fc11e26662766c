#!/usr/bin/env bash
# Peak memory (and time) of whole `uso4j generate` runs at real model size, on synthetic weights.
#
#   bench/memory_run.sh [--dir /var/tmp/uso4j-synth] [--size 512] [--steps 2] [--configs "q8_0+fp8 bf16+bf16"]
#                       [--precision auto] [--offload yes|no|both] [--out bench/results/memory-512.json]
#
# For each config FLUX+T5 (FLUX q8_0 GGUF or bf16; T5-XXL fp8 e4m3fn or bf16) writes a real-size synthetic model set
# once (`uso4j bench synth-model`: meaningless weights, real shapes and formats, ComfyUI layout; ~19 GB for
# q8_0+fp8, ~35 GB for bf16+bf16), then runs a joint style-subject generation (content + style image, the heaviest
# mode: 2048 image+reference tokens at 512²) under /usr/bin/time -v and records its maximum resident set size,
# which counts the memory-mapped weight pages a run touched as well as the heap and native buffers. The image is
# noise (the weights are); the work and the memory are those of a real run. Writes one JSON with every run.
# USO4J_JAVA_OPTS (e.g. -Xmx3g) is passed to the JVM and recorded: the Java heap is most of what is not weights.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
dir=/var/tmp/uso4j-synth size=512 steps=2 configs="q8_0+fp8 bf16+bf16" precision=auto offload=yes out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    --precision) precision="$2"; shift 2 ;;
    --offload) offload="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "memory_run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
out="${out:-$root/bench/results/memory-$size.json}"
[ -x /usr/bin/time ] || { echo "memory_run.sh: needs /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
case "$offload" in yes) modes="--offload" ;; no) modes="-" ;; both) modes="--offload -" ;; *) echo "--offload yes|no|both" >&2; exit 2 ;; esac
"$root/uso4j" --version >/dev/null
runs=()
for c in $configs; do
  flux="${c%+*}" t5="${c#*+}"
  m="$dir/$flux-$t5"
  if [ ! -f "$m/.complete" ]; then
    "$root/uso4j" bench synth-model "$m" --flux "$flux" --t5 "$t5"
    touch "$m/.complete"
  fi
  fluxfile="$m/models/diffusion_models/flux1-dev.safetensors"; [ "$flux" = q8_0 ] && fluxfile="$m/models/diffusion_models/flux1-dev-Q8_0.gguf"
  t5file="$m/models/text_encoders/t5xxl_bf16.safetensors"; [ "$t5" = fp8 ] && t5file="$m/models/text_encoders/t5xxl_fp8_e4m3fn.safetensors"
  for mode in $modes; do
    tag="$flux-$t5$([ "$mode" = --offload ] && echo -offload)"
    log="${out%.json}-$tag.time"
    rm -rf "$dir/out-$tag"   # generate skips images that exist (batch resume)
    echo "== $tag: generate ${size}² content+style, $steps steps, --precision $precision $([ "$mode" = --offload ] && echo --offload) ${USO4J_JAVA_OPTS:-} ==" >&2
    /usr/bin/time -v -o "$log" "$root/uso4j" generate --models "$m" --flux "$fluxfile" --t5 "$t5file" \
      --prompt "A cat sleeping on a chair." --content "$root/examples/subject.png" --style "$root/examples/style.png" \
      --width "$size" --height "$size" --num-steps "$steps" --precision "$precision" $([ "$mode" = --offload ] && echo --offload) \
      --save-path "$dir/out-$tag" >&2
    rss_kb="$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$log")"
    wall="$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")"
    weights="$(du -sb "$m/models" | cut -f1)"
    echo "   peak RSS $(awk -v k="$rss_kb" 'BEGIN{printf "%.2f", k/1048576}') GiB, wall $wall" >&2
    runs+=("{\"config\": \"$tag\", \"flux\": \"$flux\", \"t5\": \"$t5\", \"offload\": $([ "$mode" = --offload ] && echo true || echo false), \"size\": $size, \"steps\": $steps, \"precision\": \"$precision\", \"java_opts\": \"${USO4J_JAVA_OPTS:-}\", \"peak_rss_bytes\": $((rss_kb * 1024)), \"wall\": \"$wall\", \"weight_files_bytes\": $weights}")
  done
done
{
  echo "{\"machine\": \"$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)\","
  echo " \"timestamp\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\", \"runs\": ["
  (IFS=,; echo "  ${runs[*]}")
  echo "]}"
} > "$out"
echo "wrote $out" >&2
