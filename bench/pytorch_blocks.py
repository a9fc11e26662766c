#!/usr/bin/python3
"""PyTorch CPU peer of `uso4j bench blocks`: one FLUX.1-dev DoubleStreamBlock and one SingleStreamBlock at real width
(hidden 3072, 24 heads x 128, MLP 12288, qkv bias) with random weights, at the token counts of a USO run, timed
the same way (warm-up, then repetitions; medians). Writes JSON with the same keys (double_block_s, single_block_s,
attention_s, peak_rss_bytes, ...).

The blocks are black-forest-labs/flux src/flux/modules/layers.py and math.py, written out here so that the script
needs nothing but torch (Debian's python3-torch 1.13: no scaled_dot_product_attention, so attention is the explicit
softmax(q k^T / sqrt(d)) v, as flux's own code did before torch 2.0).

Modes:
  f32            float32 weights and activations (BLAS: Debian's OpenBLAS; run with OPENBLAS_CORETYPE=SkylakeX)
  bf16           bfloat16 weights and activations (oneDNN matmul; AMX on Sapphire Rapids: brg:avx512_core_amx_bf16)
  bf16-autocast  float32 weights under torch.autocast("cpu", bfloat16): also AMX, but casts the weights every call

PyTorch is a peer in benchmarks only; uso4j never depends on it.
"""
import argparse
import json
import math
import os
import platform
import resource
import statistics
import sys
import time

import torch
from torch import nn

HIDDEN, HEADS, MLP_RATIO, AXES_DIM, THETA = 3072, 24, 4.0, (16, 56, 56), 10000
T5_TOKENS, STYLE_TOKENS = 512, 192
DEPTH, DEPTH_SINGLE, STEPS = 19, 38, 25


# ---- flux math.py --------------------------------------------------------------------------------------------
def rope(pos, dim, theta):
    scale = torch.arange(0, dim, 2, dtype=torch.float64) / dim
    omega = 1.0 / (theta ** scale)
    out = torch.einsum("...n,d->...nd", pos.double(), omega)
    out = torch.stack([torch.cos(out), -torch.sin(out), torch.sin(out), torch.cos(out)], dim=-1)
    return out.reshape(*out.shape[:-1], 2, 2).float()


def apply_rope(xq, xk, freqs_cis):
    xq_ = xq.float().reshape(*xq.shape[:-1], -1, 1, 2)
    xk_ = xk.float().reshape(*xk.shape[:-1], -1, 1, 2)
    xq_out = freqs_cis[..., 0] * xq_[..., 0] + freqs_cis[..., 1] * xq_[..., 1]
    xk_out = freqs_cis[..., 0] * xk_[..., 0] + freqs_cis[..., 1] * xk_[..., 1]
    return xq_out.reshape(*xq.shape).type_as(xq), xk_out.reshape(*xk.shape).type_as(xk)


def attention(q, k, v, pe):
    q, k = apply_rope(q, k, pe)
    # scaled_dot_product_attention (torch >= 2.0) written out for torch 1.13
    s = torch.matmul(q, k.transpose(-2, -1)) * (1.0 / math.sqrt(q.shape[-1]))
    x = torch.matmul(torch.softmax(s, dim=-1), v)
    b, h, l, d = x.shape
    return x.permute(0, 2, 1, 3).reshape(b, l, h * d)  # "B H L D -> B L (H D)"


def embed_nd(ids):
    return torch.cat([rope(ids[..., i], AXES_DIM[i], THETA) for i in range(3)], dim=-3).unsqueeze(1)


# ---- flux layers.py ------------------------------------------------------------------------------------------
class RMSNorm(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        x_dtype = x.dtype
        x = x.float()
        rrms = torch.rsqrt(torch.mean(x ** 2, dim=-1, keepdim=True) + 1e-6)
        return (x * rrms).to(dtype=x_dtype) * self.scale


class QKNorm(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.query_norm, self.key_norm = RMSNorm(dim), RMSNorm(dim)

    def forward(self, q, k, v):
        return self.query_norm(q).to(v), self.key_norm(k).to(v)


class SelfAttention(nn.Module):
    def __init__(self, dim, num_heads, qkv_bias=True):
        super().__init__()
        self.num_heads = num_heads
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.norm = QKNorm(dim // num_heads)
        self.proj = nn.Linear(dim, dim)


def split_qkv(qkv, heads):
    b, l, _ = qkv.shape
    qkv = qkv.reshape(b, l, 3, heads, -1).permute(2, 0, 3, 1, 4)  # "B L (K H D) -> K B H L D"
    return qkv[0], qkv[1], qkv[2]


class Modulation(nn.Module):
    def __init__(self, dim, double):
        super().__init__()
        self.multiplier = 6 if double else 3
        self.lin = nn.Linear(dim, self.multiplier * dim, bias=True)

    def forward(self, vec):
        out = self.lin(nn.functional.silu(vec))[:, None, :].chunk(self.multiplier, dim=-1)
        return out[:3], (out[3:] if self.multiplier == 6 else None)


class DoubleStreamBlock(nn.Module):
    def __init__(self, hidden_size, num_heads, mlp_ratio, qkv_bias=True):
        super().__init__()
        mlp_hidden_dim = int(hidden_size * mlp_ratio)
        self.num_heads = num_heads
        self.img_mod = Modulation(hidden_size, double=True)
        self.img_norm1 = nn.LayerNorm(hidden_size, elementwise_affine=False, eps=1e-6)
        self.img_attn = SelfAttention(hidden_size, num_heads, qkv_bias)
        self.img_norm2 = nn.LayerNorm(hidden_size, elementwise_affine=False, eps=1e-6)
        self.img_mlp = nn.Sequential(nn.Linear(hidden_size, mlp_hidden_dim), nn.GELU(approximate="tanh"),
                                     nn.Linear(mlp_hidden_dim, hidden_size))
        self.txt_mod = Modulation(hidden_size, double=True)
        self.txt_norm1 = nn.LayerNorm(hidden_size, elementwise_affine=False, eps=1e-6)
        self.txt_attn = SelfAttention(hidden_size, num_heads, qkv_bias)
        self.txt_norm2 = nn.LayerNorm(hidden_size, elementwise_affine=False, eps=1e-6)
        self.txt_mlp = nn.Sequential(nn.Linear(hidden_size, mlp_hidden_dim), nn.GELU(approximate="tanh"),
                                     nn.Linear(mlp_hidden_dim, hidden_size))

    def forward(self, img, txt, vec, pe):
        (img_shift1, img_scale1, img_gate1), (img_shift2, img_scale2, img_gate2) = self.img_mod(vec)
        (txt_shift1, txt_scale1, txt_gate1), (txt_shift2, txt_scale2, txt_gate2) = self.txt_mod(vec)

        # prepare image for attention
        img_modulated = (1 + img_scale1) * self.img_norm1(img) + img_shift1
        img_q, img_k, img_v = split_qkv(self.img_attn.qkv(img_modulated), self.num_heads)
        img_q, img_k = self.img_attn.norm(img_q, img_k, img_v)

        # prepare txt for attention
        txt_modulated = (1 + txt_scale1) * self.txt_norm1(txt) + txt_shift1
        txt_q, txt_k, txt_v = split_qkv(self.txt_attn.qkv(txt_modulated), self.num_heads)
        txt_q, txt_k = self.txt_attn.norm(txt_q, txt_k, txt_v)

        # run actual attention
        q = torch.cat((txt_q, img_q), dim=2)
        k = torch.cat((txt_k, img_k), dim=2)
        v = torch.cat((txt_v, img_v), dim=2)
        attn = attention(q, k, v, pe=pe)
        txt_attn, img_attn = attn[:, : txt.shape[1]], attn[:, txt.shape[1]:]

        # calculate the img blocks
        img = img + img_gate1 * self.img_attn.proj(img_attn)
        img = img + img_gate2 * self.img_mlp((1 + img_scale2) * self.img_norm2(img) + img_shift2)

        # calculate the txt blocks
        txt = txt + txt_gate1 * self.txt_attn.proj(txt_attn)
        txt = txt + txt_gate2 * self.txt_mlp((1 + txt_scale2) * self.txt_norm2(txt) + txt_shift2)
        return img, txt


class SingleStreamBlock(nn.Module):
    def __init__(self, hidden_size, num_heads, mlp_ratio):
        super().__init__()
        self.hidden_dim, self.num_heads = hidden_size, num_heads
        self.mlp_hidden_dim = int(hidden_size * mlp_ratio)
        # qkv and mlp_in
        self.linear1 = nn.Linear(hidden_size, hidden_size * 3 + self.mlp_hidden_dim)
        # proj and mlp_out
        self.linear2 = nn.Linear(hidden_size + self.mlp_hidden_dim, hidden_size)
        self.norm = QKNorm(hidden_size // num_heads)
        self.pre_norm = nn.LayerNorm(hidden_size, elementwise_affine=False, eps=1e-6)
        self.mlp_act = nn.GELU(approximate="tanh")
        self.modulation = Modulation(hidden_size, double=False)

    def forward(self, x, vec, pe):
        (shift, scale, gate), _ = self.modulation(vec)
        x_mod = (1 + scale) * self.pre_norm(x) + shift
        qkv, mlp = torch.split(self.linear1(x_mod), [3 * self.hidden_dim, self.mlp_hidden_dim], dim=-1)
        q, k, v = split_qkv(qkv, self.num_heads)
        q, k = self.norm(q, k, v)
        # compute attention
        attn = attention(q, k, v, pe=pe)
        # compute activation in mlp stream, cat again and run second linear layer
        output = self.linear2(torch.cat((attn, self.mlp_act(mlp)), 2))
        return x + gate * output


# ---- the benchmark -------------------------------------------------------------------------------------------
def ids_for(size, ref_size):
    txt = T5_TOKENS + STYLE_TOKENS
    side, rside = size // 16, ref_size // 16
    parts = [torch.zeros(txt, 3)]
    r, c = torch.meshgrid(torch.arange(side), torch.arange(side), indexing="ij")
    parts.append(torch.stack([torch.zeros_like(r), r, c], -1).reshape(-1, 3).float())
    if rside:
        r, c = torch.meshgrid(torch.arange(rside), torch.arange(rside), indexing="ij")
        parts.append(torch.stack([torch.zeros_like(r), r + side, c + side], -1).reshape(-1, 3).float())
    return torch.cat(parts).unsqueeze(0), txt, side * side + rside * rside


def init_(module):
    """N(0, 1)/sqrt(fan_in) matrices, small biases, norm scales 1 +- 0.05: as uso4j's RandomWeights."""
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if p.dim() == 2:
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(p.shape[1]))
            else:
                p.copy_((1.0 if name.endswith("scale") else 0.0) + 0.05 * torch.randn(p.shape, generator=g))


def timed(warmup, reps, fn):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def flops(l_txt, l_img):
    c, m, l = HIDDEN, int(HIDDEN * MLP_RATIO), l_txt + l_img
    att = 4.0 * l * l * c
    return {"double_block": 2.0 * l * c * (4 * c + 2 * m) + att + 2.0 * c * 12 * c,
            "single_block": 2.0 * l * c * (3 * c + m) + 2.0 * l * (c + m) * c + att + 2.0 * c * 3 * c,
            "attention": att}


def blas_library():
    """The BLAS torch's f32 matmul really calls (Debian's torch uses whatever libblas.so.3 points at)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted(os.path.basename(p) for p in libs)) or "none loaded"
    except OSError:
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def openblas_core():
    """The kernel set OpenBLAS actually picked (openblas_get_corename of the loaded library), or None."""
    import ctypes
    try:
        maps = open("/proc/self/maps").read()
    except OSError:
        return None
    for path in sorted(set(l.split()[-1] for l in maps.splitlines() if "openblas" in l.lower() and l.split()[-1].startswith("/"))):
        try:
            f = ctypes.CDLL(path).openblas_get_corename
            f.restype = ctypes.c_char_p
            return f().decode()
        except (OSError, AttributeError):
            continue
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--ref-size", type=int, default=512, help="content reference long side (USO content_ref); 0 = none")
    ap.add_argument("--mode", choices=["f32", "bf16", "bf16-autocast"], default="bf16")
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="torch.set_num_threads (torch defaults to 1 here)")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json", help="write the results here")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    ids, l_txt, l_img = ids_for(a.size, a.ref_size)
    pe = embed_nd(ids)
    dbl = DoubleStreamBlock(HIDDEN, HEADS, MLP_RATIO).eval()
    sgl = SingleStreamBlock(HIDDEN, HEADS, MLP_RATIO).eval()
    init_(dbl)
    init_(sgl)
    dtype = torch.bfloat16 if a.mode == "bf16" else torch.float32
    dbl.to(dtype)
    sgl.to(dtype)
    img = torch.randn(1, l_img, HIDDEN, dtype=dtype)
    txt = torch.randn(1, l_txt, HIDDEN, dtype=dtype)
    x = torch.randn(1, l_txt + l_img, HIDDEN, dtype=dtype)
    vec = torch.randn(1, HIDDEN, dtype=dtype)
    q, k, v = (torch.randn(1, HEADS, l_txt + l_img, HIDDEN // HEADS, dtype=dtype) for _ in range(3))

    def run(fn):
        def go():
            with torch.no_grad():
                if a.mode == "bf16-autocast":
                    with torch.autocast("cpu", dtype=torch.bfloat16):
                        return fn()
                return fn()
        return go

    print(f"pytorch {torch.__version__} {a.mode}: {a.size}² USO ({l_txt} txt+style + {l_img} image+reference tokens), "
          f"{torch.get_num_threads()} threads, BLAS {blas_library()}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(auto)')}, "
          f"OpenBLAS kernels in use: {openblas_core() or 'none found'}",
          file=sys.stderr, flush=True)
    d = timed(a.warmup, a.reps, run(lambda: dbl(img, txt, vec, pe)))
    print(f"  double block median {statistics.median(d):.3f} s {['%.3f' % s for s in d]}", file=sys.stderr, flush=True)
    s = timed(a.warmup, a.reps, run(lambda: sgl(x, vec, pe)))
    print(f"  single block median {statistics.median(s):.3f} s {['%.3f' % t for t in s]}", file=sys.stderr, flush=True)
    at = timed(a.warmup, a.reps, run(lambda: attention(q, k, v, pe)))
    print(f"  attention    median {statistics.median(at):.3f} s {['%.3f' % t for t in at]}", file=sys.stderr, flush=True)

    f = flops(l_txt, l_img)
    med = {"double_block": statistics.median(d), "single_block": statistics.median(s), "attention": statistics.median(at)}
    step = DEPTH * med["double_block"] + DEPTH_SINGLE * med["single_block"]
    result = {
        "engine": "pytorch", "dtype": a.mode, "size": a.size,
        "double_block_s": med["double_block"], "single_block_s": med["single_block"], "attention_s": med["attention"],
        "step_s": step, "image_s": STEPS * step, "steps_per_image": STEPS,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "gflops": {key: f[key] / med[key] / 1e9 for key in med},
        "tokens": {"txt": l_txt, "img": l_img, "total": l_txt + l_img},
        "samples_s": {"double_block": d, "single_block": s, "attention": at},
        "context": {"cpu": cpu_model(), "processors": os.cpu_count(), "threads": torch.get_num_threads(),
                    "torch_version": torch.__version__, "python_version": platform.python_version(),
                    "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"), "openblas_core": openblas_core(), "blas": blas_library(), "warmup": a.warmup, "reps": a.reps,
                    "ref_size": a.ref_size, "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "note": "step_s = 19 double + 38 single blocks (the small rest of a step not timed)"},
    }
    print(f"  => {step:.1f} s per step (blocks only), {result['gflops']['double_block']:.0f} / "
          f"{result['gflops']['single_block']:.0f} GFLOP/s double / single", file=sys.stderr)
    if a.json:
        tmp = a.json + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(result, fh, indent=2)
        os.replace(tmp, a.json)
    else:
        json.dump(result, sys.stdout, indent=2)


if __name__ == "__main__":
    main()
