#version 450
#extension GL_EXT_control_flow_attributes : require
// Flash attention (Backend.attention): o = softmax(q kᵀ·scale + bias [+ causal mask]) v with an online softmax in float.
// q [B, H, Lq, D], k [B, H, Lk, D], v [B, H, Lk, Dv], bias [1|B, H, Lq, Lk] (biasMode 0: none, 1: shared, 2: per batch),
// o [B, H, Lq, Dv]. One work group owns BQ query rows of one (b, h) (groups: x = query tile, y = head, z = batch) and
// walks the keys BK at a time through shared memory: memory is O(L·D), never an Lq×Lk matrix.
// Causal as ScalarBackend: query row i sees keys j ≤ i (top-left aligned, also when Lq ≠ Lk).
// Long key ranges are split over dispatches [kBegin, kStop) (first: start the rows, last: write o), the rows' running
// state kept in a buffer between them: llvmpipe computes wrong sums past about a hundred key tiles in one invocation
// (measured on Mesa 22.3.6), and on a real GPU bounded dispatches keep the driver's watchdog quiet.
// Defines: HD (≥ max(D, Dv), sizes the shared tiles), BQ, BK; WG divides BQ·BK (PAIRS scores per invocation).
#define WG 64
#define PAIRS (BQ * BK / WG)
#define NEG_INF uintBitsToFloat(0xff800000u)
layout(local_size_x = WG) in;
layout(std430, binding = 0) readonly buffer Qb { float q[]; };
layout(std430, binding = 1) readonly buffer Kb { float k[]; };
layout(std430, binding = 2) readonly buffer Vb { float v[]; };
layout(std430, binding = 3) readonly buffer Bb { float bias[]; };
layout(std430, binding = 4) writeonly buffer Ob { float o[]; };
// the running state of each query row between dispatches over consecutive key ranges: acc[HD], max, sum
layout(std430, binding = 5) buffer Sb { float state[]; };
layout(push_constant) uniform P { uint lq; uint lk; uint d; uint dv; uint heads; uint biasMode; uint causal; float scale;
                                  uint kBegin; uint kStop; uint first; uint last; } p;

shared float qs[BQ * HD];   // the query tile, [BQ, HD]
shared float kv[BK * HD];   // the key tile, then the value tile, [BK, HD]
shared float s[BQ * BK];    // scores, then probabilities, [BQ, BK]
shared float acc[BQ * HD];  // the output tile, [BQ, HD]
shared float rowMax[BQ], rowSum[BQ], rowCorr[BQ];

void main() {
    uint t = gl_LocalInvocationID.x, h = gl_WorkGroupID.y, b = gl_WorkGroupID.z;
    uint bh = b * p.heads + h, q0 = gl_WorkGroupID.x * BQ;
    uint biasHead = (p.biasMode == 2u ? bh : h) * p.lq;
    // the output tile lives in shared memory and the loops stay loops ([[dont_unroll]]): llvmpipe splits the shader at
    // each barrier and compiles one with registers live across them (an acc[] block) for a minute, this in a second
    [[dont_unroll]] for (uint e = t; e < BQ * HD; e += WG) {
        uint r = e / HD, c = e % HD, i = q0 + r;
        qs[e] = (i < p.lq && c < p.d) ? q[(bh * p.lq + i) * p.d + c] : 0.0;
    }
    // state row of query row r: (bh·lq + q0 + r)·(HD + 2); rows past lq are never stored
    if (p.first != 0u) {
        if (t < BQ) {
            rowMax[t] = NEG_INF;
            rowSum[t] = 0.0;
        }
        [[dont_unroll]] for (uint e = t; e < BQ * HD; e += WG) acc[e] = 0.0;
    } else {
        if (t < BQ) {
            uint i = q0 + t, base = (bh * p.lq + i) * (HD + 2);
            rowMax[t] = i < p.lq ? state[base + HD] : NEG_INF;
            rowSum[t] = i < p.lq ? state[base + HD + 1] : 0.0;
        }
        [[dont_unroll]] for (uint e = t; e < BQ * HD; e += WG) {
            uint r = e / HD, c = e % HD, i = q0 + r;
            acc[e] = i < p.lq ? state[(bh * p.lq + i) * (HD + 2) + c] : 0.0;
        }
    }
    uint kEnd = min(p.kStop, p.causal != 0u ? min(p.lk, q0 + BQ) : p.lk);
    [[dont_unroll]] for (uint k0 = p.kBegin; k0 < kEnd; k0 += BK) {
        barrier();   // the previous tile's values are read (and the query tile is stored)
        [[dont_unroll]] for (uint e = t; e < BK * HD; e += WG) {
            uint c = e / HD, dd = e % HD, j = k0 + c;
            kv[e] = (j < p.lk && dd < p.d) ? k[(bh * p.lk + j) * p.d + dd] : 0.0;
        }
        barrier();
        // scores of this tile: float(q·k)·scale + bias, -inf where masked or outside; pair t + x·WG of [BQ, BK]
        float dot[PAIRS];
        [[unroll]] for (uint x = 0; x < PAIRS; x++) dot[x] = 0.0;
        [[dont_unroll]] for (uint dd = 0; dd < p.d; dd++) {
            [[unroll]] for (uint x = 0; x < PAIRS; x++) {
                uint e = t + x * WG;
                dot[x] += qs[(e / BK) * HD + dd] * kv[(e % BK) * HD + dd];
            }
        }
        [[unroll]] for (uint x = 0; x < PAIRS; x++) {
            uint e = t + x * WG, i = q0 + e / BK, j = k0 + e % BK;
            float sc = NEG_INF;
            if (i < p.lq && j < p.lk && (p.causal == 0u || j <= i)) {
                sc = dot[x] * p.scale;
                if (p.biasMode != 0u) sc += bias[(biasHead + i) * p.lk + j];
            }
            s[e] = sc;
        }
        barrier();
        // online softmax, one row per invocation: new max, rescale factor of what was summed, probabilities
        if (t < BQ) {
            float m = rowMax[t], mt = NEG_INF;
            [[dont_unroll]] for (uint c = 0; c < BK; c++) mt = max(mt, s[t * BK + c]);
            float mn = max(m, mt), sum = 0.0, corr = 1.0;
            if (mn == NEG_INF) {
                [[dont_unroll]] for (uint c = 0; c < BK; c++) s[t * BK + c] = 0.0;
            } else {
                corr = m == NEG_INF ? 0.0 : exp(m - mn);
                [[dont_unroll]] for (uint c = 0; c < BK; c++) {
                    float sc = s[t * BK + c];
                    float e = sc == NEG_INF ? 0.0 : exp(sc - mn);
                    s[t * BK + c] = e;
                    sum += e;
                }
            }
            rowMax[t] = mn;
            rowSum[t] = rowSum[t] * corr + sum;
            rowCorr[t] = corr;
        }
        [[dont_unroll]] for (uint e = t; e < BK * HD; e += WG) {
            uint c = e / HD, dd = e % HD, j = k0 + c;
            kv[e] = (j < p.lk && dd < p.dv) ? v[(bh * p.lk + j) * p.dv + dd] : 0.0;
        }
        barrier();
        [[dont_unroll]] for (uint e = t; e < BQ * HD; e += WG) {
            uint r = e / HD, c = e % HD;
            float a = acc[e] * rowCorr[r];
            [[dont_unroll]] for (uint cc = 0; cc < BK; cc++) a += s[r * BK + cc] * kv[cc * HD + c];   // columns ≥ Dv: zeros, never stored
            acc[e] = a;
        }
    }
    barrier();
    if (p.last != 0u) {
        [[dont_unroll]] for (uint e = t; e < BQ * HD; e += WG) {
            uint r = e / HD, c = e % HD, i = q0 + r;
            if (i < p.lq && c < p.dv) o[(bh * p.lq + i) * p.dv + c] = acc[e] / rowSum[r];
        }
    } else {
        [[dont_unroll]] for (uint e = t; e < BQ * HD; e += WG) {
            uint r = e / HD, c = e % HD, i = q0 + r;
            if (i < p.lq) state[(bh * p.lq + i) * (HD + 2) + c] = acc[e];
        }
        if (t < BQ && q0 + t < p.lq) {
            uint base = (bh * p.lq + q0 + t) * (HD + 2);
            state[base + HD] = rowMax[t];
            state[base + HD + 1] = rowSum[t];
        }
    }
}
