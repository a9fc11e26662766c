// IEEE tests by bits (immune to a compiler assuming no NaN/Inf).
bool nonFinite(float v) { return (floatBitsToUint(v) & 0x7F800000u) == 0x7F800000u; }
bool isNaNBits(float v) { return (floatBitsToUint(v) & 0x7FFFFFFFu) > 0x7F800000u; }
