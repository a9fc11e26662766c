#version 450
// Backend.conv2d / conv2dUpsampled2x as an implicit GEMM: out[z, co, p] = bias[co] + Σ_k W[co, k]·col(z, k, p) with
// p = oy·ow + ox, k = (ci·kh + ky)·kw + kx and col(z, k, p) = u[z, ci, oy·stride + ky - padTop, ox·stride + kx - padLeft]
// (0 outside), u = x upsampled ×up by nearest neighbour (u[y, x] = x[y / up, x / up]), read through this
// indexing: im2col is never stored. Tile rows m are output pixels p, columns n are output channels co.
// The weight dtype is the pipeline variant (weights.glsl define); the bias dtype a push constant (PLAIN_NONE: no bias).
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 2) readonly buffer Bias { uint bias[]; };
layout(std430, binding = 3) writeonly buffer O { float o[]; };
// h, w: the size of u (the upsampled input when up = 2)
layout(push_constant) uniform P {
    uint cin; uint h; uint w; uint cout; uint kh; uint kw; uint oh; uint ow;
    uint stride; uint padTop; uint padLeft; uint up; uint biasCode;
} p;
#include "weights.glsl"

float loadA(uint z, uint m, uint k) {
    uint oy = m / p.ow, ox = m % p.ow;
    uint kx = k % p.kw, rest = k / p.kw, ky = rest % p.kh, ci = rest / p.kh;
    int iy = int(oy * p.stride + ky) - int(p.padTop), ix = int(ox * p.stride + kx) - int(p.padLeft);
    if (iy < 0 || ix < 0 || iy >= int(p.h) || ix >= int(p.w)) return 0.0;
    uint xh = p.h / p.up, xw = p.w / p.up;
    return x[((z * p.cin + ci) * xh + uint(iy) / p.up) * xw + uint(ix) / p.up];
}

float loadB(uint z, uint n, uint k) { return weightAt(n * (p.cin * p.kh * p.kw) + k); }

void store(uint z, uint m, uint n, float acc) {
    if (p.biasCode != PLAIN_NONE) acc += plainValue(p.biasCode, bias[plainWord(p.biasCode, n)], n);
    o[(z * p.cout + n) * (p.oh * p.ow) + m] = acc;
}

#define A_M_FASTEST
#include "gemm/tile.glsl"

void main() { gemmTile(gl_WorkGroupID.z, p.oh * p.ow, p.cout, p.cin * p.kh * p.kw); }
