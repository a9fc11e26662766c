// Stored weight formats decoded inside shaders, bit for bit as core's Dequantize (FloatFormats, GgmlBlocks: ggml's
// dequantize_row_* in float32, no fused multiply-add, hence `precise`).
//
// Two parts:
// 1. plainWord/plainValue: element e of a buffer of a plain float type (F32, F16, BF16, F8_E4M3, F8_E5M2), given its
//    code PLAIN_F32..PLAIN_E5M2 (a constant or a push constant: one pipeline serves every bias dtype): the caller reads
//    word = buf[plainWord(code, e)] from its own buffer and decodes plainValue(code, word, e). Used for biases and
//    low-rank up-projections, which any buffer may hold.
// 2. weightAt(e): element e (flat index, rows are whole blocks) of the uint[] buffer W (binding WEIGHTS_BINDING) in
//    the dtype selected by one define: W_F32, W_F16, W_BF16, W_F8_E4M3, W_F8_E5M2, W_Q4_0, W_Q4_1, W_Q5_0, W_Q5_1,
//    W_Q8_0, W_Q2_K, W_Q3_K, W_Q4_K, W_Q5_K, W_Q6_K (WeightTypes.java names them). Block fields are little-endian;
//    d/m/dmin are IEEE halves.
#define PLAIN_F32 0u
#define PLAIN_F16 1u
#define PLAIN_BF16 2u
#define PLAIN_E4M3 3u
#define PLAIN_E5M2 4u
#define PLAIN_NONE 0xFFFFFFFFu // no such operand (a null bias)

uint plainWord(uint code, uint e) {
    switch (code) {
        case PLAIN_F32: return e;
        case PLAIN_F16:
        case PLAIN_BF16: return e >> 1;
        default: return e >> 2;
    }
}

float e4m3ToFloat(uint b) {
    uint e = (b >> 3) & 15u, m = b & 7u;
    float s = (b & 0x80u) != 0u ? -1.0 : 1.0;
    if (e == 15u && m == 7u) return uintBitsToFloat(0x7FC00000u);
    if (e == 0u) return s * (float(m) / 8.0) * 0.015625;
    return s * (1.0 + float(m) / 8.0) * ldexp(1.0, int(e) - 7);
}

float plainValue(uint code, uint word, uint e) {
    switch (code) {
        case PLAIN_F32: return uintBitsToFloat(word);
        case PLAIN_F16: return unpackHalf2x16(word >> ((e & 1u) << 4)).x;
        case PLAIN_BF16: return uintBitsToFloat(((word >> ((e & 1u) << 4)) & 0xFFFFu) << 16);
        case PLAIN_E4M3: return e4m3ToFloat((word >> ((e & 3u) << 3)) & 0xFFu);
        default: return unpackHalf2x16(((word >> ((e & 3u) << 3)) & 0xFFu) << 8).x; // e5m2 = upper byte of a half
    }
}

#ifndef WEIGHTS_BINDING
#define WEIGHTS_BINDING 1
#endif
layout(std430, binding = WEIGHTS_BINDING) readonly buffer Weights { uint W[]; };

uint wbyte(uint off) { return (W[off >> 2] >> ((off & 3u) << 3)) & 0xFFu; }
int wsbyte(uint off) { return int(wbyte(off) << 24) >> 24; }
// an IEEE half at an even byte offset
float whalf(uint off) { return unpackHalf2x16(W[off >> 2] >> ((off & 2u) << 3)).x; }
uint wu32(uint off) { // at an even byte offset
    return ((W[off >> 2] >> ((off & 2u) << 3)) & 0xFFFFu) | (((W[(off + 2u) >> 2] >> (((off + 2u) & 2u) << 3)) & 0xFFFFu) << 16);
}

// ggml's get_scale_min_k4: six-bit scale and min number j of a K-quant scales[12] at byte sc
uint scaleK4(uint j, uint sc) {
    return j < 4u ? wbyte(sc + j) & 63u : (wbyte(sc + j + 4u) & 0xFu) | ((wbyte(sc + j - 4u) >> 6) << 4);
}
uint minK4(uint j, uint sc) {
    return j < 4u ? wbyte(sc + j + 4u) & 63u : (wbyte(sc + j + 4u) >> 4) | ((wbyte(sc + j) >> 6) << 4);
}

// Q4_K/Q5_K element of sub-block is with quant q, block at byte b {half d; half dmin; u8 scales[12]; ...}:
// (d * sc) * q - (dmin * m)
float kQuantValue(uint b, uint is, uint q) {
    precise float d1 = whalf(b) * float(scaleK4(is, b + 4u));
    precise float m1 = whalf(b + 2u) * float(minK4(is, b + 4u));
    precise float y = d1 * float(q) - m1;
    return y;
}

float weightAt(uint e) {
#if defined(W_F32)
    return uintBitsToFloat(W[e]);
#elif defined(W_F16)
    return plainValue(PLAIN_F16, W[e >> 1], e);
#elif defined(W_BF16)
    return plainValue(PLAIN_BF16, W[e >> 1], e);
#elif defined(W_F8_E4M3)
    return plainValue(PLAIN_E4M3, W[e >> 2], e);
#elif defined(W_F8_E5M2)
    return plainValue(PLAIN_E5M2, W[e >> 2], e);
#elif defined(W_Q4_0)
    // block_q4_0 {half d; u8 qs[16]}: x = (q - 8) * d; element j low nibble of qs[j], j+16 high nibble
    uint b = (e >> 5) * 18u, j = e & 31u;
    uint q = wbyte(b + 2u + (j & 15u));
    q = j < 16u ? q & 0xFu : q >> 4;
    precise float y = float(int(q) - 8) * whalf(b);
    return y;
#elif defined(W_Q4_1)
    // block_q4_1 {half d; half m; u8 qs[16]}: x = q * d + m
    uint b = (e >> 5) * 20u, j = e & 31u;
    uint q = wbyte(b + 4u + (j & 15u));
    q = j < 16u ? q & 0xFu : q >> 4;
    precise float y = float(q) * whalf(b) + whalf(b + 2u);
    return y;
#elif defined(W_Q5_0)
    // block_q5_0 {half d; u32 qh; u8 qs[16]}: bit j of qh = 5th bit of element j; x = (q - 16) * d
    uint b = (e >> 5) * 22u, j = e & 31u;
    uint qh = wu32(b + 2u), q = wbyte(b + 6u + (j & 15u));
    q = j < 16u ? (q & 0xFu) | (((qh >> j) << 4) & 0x10u) : (q >> 4) | ((qh >> (j - 4u)) & 0x10u);
    precise float y = float(int(q) - 16) * whalf(b);
    return y;
#elif defined(W_Q5_1)
    // block_q5_1 {half d; half m; u32 qh; u8 qs[16]}: x = q * d + m
    uint b = (e >> 5) * 24u, j = e & 31u;
    uint qh = wu32(b + 4u), q = wbyte(b + 8u + (j & 15u));
    q = j < 16u ? (q & 0xFu) | (((qh >> j) << 4) & 0x10u) : (q >> 4) | ((qh >> (j - 4u)) & 0x10u);
    precise float y = float(q) * whalf(b) + whalf(b + 2u);
    return y;
#elif defined(W_Q8_0)
    // block_q8_0 {half d; i8 qs[32]}: x = q * d
    uint b = (e >> 5) * 34u;
    precise float y = float(wsbyte(b + 2u + (e & 31u))) * whalf(b);
    return y;
#elif defined(W_Q2_K)
    // block_q2_K {u8 scales[16] (low nibble scale, high nibble min); u8 qs[64]; half d; half dmin}
    uint b = (e >> 8) * 84u, j = e & 255u;
    uint h = j >> 7, jj = j & 127u, j4 = jj >> 5, s = (jj >> 4) & 1u, l = jj & 15u;
    uint sc = wbyte(b + h * 8u + j4 * 2u + s);
    uint q = (wbyte(b + 16u + h * 32u + s * 16u + l) >> (2u * j4)) & 3u;
    precise float dl = whalf(b + 80u) * float(sc & 0xFu);
    precise float ml = whalf(b + 82u) * float(sc >> 4);
    precise float y = dl * float(q) - ml;
    return y;
#elif defined(W_Q3_K)
    // block_q3_K {u8 hmask[32]; u8 qs[64]; u8 scales[12] (16 six-bit scales, +32); half d}
    uint b = (e >> 8) * 110u, j = e & 255u;
    uint h = j >> 7, jj = j & 127u, j4 = jj >> 5, s = (jj >> 4) & 1u, l = jj & 15u;
    uint is = h * 8u + j4 * 2u + s;
    uint low = is < 8u ? wbyte(b + 96u + is) & 0xFu : wbyte(b + 96u + is - 8u) >> 4;
    uint high = (wbyte(b + 104u + (is & 3u)) >> (2u * (is >> 2))) & 3u;
    int scale = int(low | (high << 4)) - 32;
    int q = int((wbyte(b + 32u + h * 32u + s * 16u + l) >> (2u * j4)) & 3u);
    q -= (wbyte(b + s * 16u + l) & (1u << (h * 4u + j4))) != 0u ? 0 : 4;
    precise float dl = whalf(b + 108u) * float(scale);
    precise float y = dl * float(q);
    return y;
#elif defined(W_Q4_K)
    // block_q4_K {half d; half dmin; u8 scales[12]; u8 qs[128]}: y = (d*sc)*q - (dmin*m), 8 sub-blocks of 32
    uint b = (e >> 8) * 144u, j = e & 255u;
    uint c = j >> 6, sub = (j >> 5) & 1u, l = j & 31u, is = 2u * c + sub;
    uint q = wbyte(b + 16u + c * 32u + l);
    q = sub == 0u ? q & 0xFu : q >> 4;
    return kQuantValue(b, is, q);
#elif defined(W_Q5_K)
    // block_q5_K {half d; half dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]}
    uint b = (e >> 8) * 176u, j = e & 255u;
    uint c = j >> 6, sub = (j >> 5) & 1u, l = j & 31u, is = 2u * c + sub;
    uint q = wbyte(b + 48u + c * 32u + l);
    q = sub == 0u ? q & 0xFu : q >> 4;
    q += (wbyte(b + 16u + l) & (1u << is)) != 0u ? 16u : 0u;
    return kQuantValue(b, is, q);
#elif defined(W_Q6_K)
    // block_q6_K {u8 ql[128]; u8 qh[64]; i8 scales[16]; half d}: y = (d*sc)*q, q in [-32, 31]
    uint b = (e >> 8) * 210u, j = e & 255u;
    uint h = j >> 7, jj = j & 127u, quarter = jj >> 5, l = jj & 31u;
    uint ql = wbyte(b + h * 64u + l + (quarter & 1u) * 32u);
    ql = quarter < 2u ? ql & 0xFu : ql >> 4;
    uint qh = (wbyte(b + 128u + h * 32u + l) >> (2u * quarter)) & 3u;
    int q = int(ql | (qh << 4)) - 32;
    precise float ds = whalf(b + 208u) * float(wsbyte(b + 192u + h * 8u + (l >> 4) + 2u * quarter));
    precise float y = ds * float(q);
    return y;
#else
#error "weights.glsl: define the weight dtype (W_F32, W_Q8_0, ...)"
#endif
}
