// Element i of a tensor stored as its checkpoint bytes, bound as uint[] (little-endian), as a float:
// LOAD_F32 / LOAD_F16 / LOAD_BF16 (buf, i). An op picks one per binding with a define such as "WLOAD=LOAD_BF16".
#define LOAD_F32(buf, i) uintBitsToFloat(buf[i])
#define LOAD_F16(buf, i) unpackHalf2x16(buf[(i) >> 1u] >> (((i) & 1u) << 4u)).x
#define LOAD_BF16(buf, i) uintBitsToFloat((((i) & 1u) == 0u) ? (buf[(i) >> 1u] << 16u) : (buf[(i) >> 1u] & 0xFFFF0000u))
