#!/usr/bin/python3
"""Combines the JSON files of one bench/compare.sh run into one report: per-block times of uso4j and PyTorch, their
ratios, uso4j's per-kernel GFLOP/s and peak RSS. Usage: compare_report.py OUT.json RUN.json...  (each RUN.json is
from `uso4j bench blocks --json` or bench/pytorch_blocks.py --json)."""
import json
import os
import subprocess
import sys
import time


def label(r):
    if r["engine"] == "pytorch":
        extra = {"f32": "OpenBLAS " + str(r["context"].get("openblas_core") or r["context"].get("openblas_coretype") or "auto"),
                 "bf16": "oneDNN AMX", "bf16-autocast": "autocast, oneDNN AMX"}.get(r["dtype"], "")
        return f"pytorch {r['dtype']} ({extra})"
    isa = r.get("context", {}).get("isa", "")
    path = f", {isa.split(' (')[0]}" if isa else ""
    if r.get("precision") == "bf16":
        return f"uso4j {r['dtype']} (AMX bf16)"
    return f"uso4j {r['dtype']}{path}"


def key(r):
    amx = "-amx" if r["engine"] == "uso4j" and r.get("precision") == "bf16" else ""
    return f"{r['engine']}_{r['dtype']}{amx}"


def lscpu():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    want = ("Model name", "CPU(s)", "Thread(s) per core", "Core(s) per socket", "L2 cache", "L3 cache", "Hypervisor vendor")
    info = {}
    for line in out.splitlines():
        k, _, v = line.partition(":")
        if k.strip() in want:
            info[k.strip()] = v.strip()
    flags = next((l.split(":", 1)[1].split() for l in out.splitlines() if l.startswith("Flags")), [])
    info["simd"] = " ".join(f for f in flags if f.startswith(("avx512f", "avx512_bf16", "avx512_fp16", "amx", "avx_vnni", "fma")))
    return info


def main():
    out_path, files = sys.argv[1], sys.argv[2:]
    runs = {}
    for f in files:
        with open(f) as fh:
            r = json.load(fh)
        runs[key(r)] = r
    first = next(iter(runs.values()))
    size, tokens = first["size"], first["tokens"]
    print(f"\n== FLUX blocks at {size}² USO token counts ({tokens['txt']} txt+style + {tokens['img']} image+reference = "
          f"{tokens['total']} tokens), same machine, same run ==")
    print(f"{'':38s} {'double s':>9s} {'single s':>9s} {'attn s':>8s} {'GFLOP/s d/s':>13s} {'s/step':>8s} {'peak RSS':>9s}")
    for r in runs.values():
        g = r["gflops"]
        print(f"{label(r):38s} {r['double_block_s']:9.3f} {r['single_block_s']:9.3f} {r['attention_s']:8.3f} "
              f"{g['double_block']:6.0f}/{g['single_block']:<6.0f} {r['step_s']:8.1f} {r['peak_rss_bytes'] / 2**30:7.2f} G")

    ratios = {}
    peers = [p for p in ("pytorch_f32", "pytorch_bf16", "pytorch_bf16-autocast") if p in runs]
    java = [k for k in runs if k.startswith("uso4j_")]
    if peers and java:
        print("\nratios: uso4j time / PyTorch time (below 1 = uso4j faster)")
        for j in java:
            for p in peers:
                a, b = runs[j], runs[p]
                r = {m: a[m + "_s"] / b[m + "_s"] for m in ("double_block", "single_block", "attention")}
                r["blocks"] = (a["double_block_s"] + a["single_block_s"]) / (b["double_block_s"] + b["single_block_s"])
                ratios[f"{j}/{p}"] = r
                print(f"  {label(runs[j]):22s} vs {label(runs[p]):30s} double {r['double_block']:5.2f}  single {r['single_block']:5.2f}"
                      f"  attention {r['attention']:5.2f}  double+single {r['blocks']:5.2f}")

    for j in java:
        ks = runs[j].get("kernels") or []
        if ks:
            print(f"\nper-kernel, {label(runs[j])}:")
            peak = runs[j].get("fma_peak_gflops")
            if peak:
                print(f"  (measured f32 FMA peak of this machine on {runs[j]['context']['threads']} threads: {peak:.1f} GFLOP/s)")
            for k in ks:
                rate = f"{k['gflops']:7.1f} GFLOP/s" if "gflops" in k else f"{k['gb_per_s']:7.1f} GB/s   "
                frac = f" {100 * k['fraction_of_fma_peak']:4.0f}% of peak" if "fraction_of_fma_peak" in k else ""
                print(f"  {k['name']:38s} {k['shape']:44s} {k['seconds']:8.4f} s {rate}{frac}")

    report = {"size": size, "tokens": tokens, "machine": lscpu(), "runs": runs, "ratios": ratios,
              "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    tmp = out_path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(report, fh, indent=2)
    os.replace(tmp, out_path)
    print(f"\nwrote {out_path}")


if __name__ == "__main__":
    main()
