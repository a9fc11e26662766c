// The heavy work of one FLUX double block and one single block at USO token counts, run by ggml (the tensor
// library stable-diffusion.cpp is built on) on the CPU: every linear layer as ggml_mul_mat with weights in the
// given ggml type, attention as sd.cpp runs it (mul_mat + soft_max_ext + mul_mat, or ggml_flash_attn_ext with
// --fa). Norms, modulation, RoPE and gating are left out, so these times are a lower bound for sd.cpp's blocks.
// A benchmark peer only (built by bench/ggml_compare.sh against a ggml checkout); never part of uso4j.
//
//   ggml_blocks TYPE(f32|f16|bf16|q8_0|q4_k) THREADS REPS [--fa] [--size 512]   -> one JSON line on stdout
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ggml.h"
#include "ggml-cpu.h"

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static enum ggml_type parse_type(const char * s) {
    if (!strcmp(s, "f32")) return GGML_TYPE_F32;
    if (!strcmp(s, "f16")) return GGML_TYPE_F16;
    if (!strcmp(s, "bf16")) return GGML_TYPE_BF16;
    if (!strcmp(s, "q8_0")) return GGML_TYPE_Q8_0;
    if (!strcmp(s, "q4_k")) return GGML_TYPE_Q4_K;
    fprintf(stderr, "unknown type %s\n", s); exit(2);
}

static unsigned rng = 12345u;
static float frand(void) { rng = rng * 1664525u + 1013904223u; return ((rng >> 8) / 16777216.0f - 0.5f) * 0.04f; }

// a weight [in, out] (ggml: ne0 = in) of type t filled with small random values
static struct ggml_tensor * weight(struct ggml_context * ctx, enum ggml_type t, int in, int out) {
    struct ggml_tensor * w = ggml_new_tensor_2d(ctx, t, in, out);
    float * row = malloc(sizeof(float) * in);
    for (int r = 0; r < out; r++) {
        for (int i = 0; i < in; i++) row[i] = frand();
        ggml_quantize_chunk(t, row, (char *) w->data + (size_t) r * ggml_row_size(t, in), 0, 1, in, NULL);
    }
    free(row);
    return w;
}

static struct ggml_tensor * act(struct ggml_context * ctx, int d, int n) {
    struct ggml_tensor * x = ggml_new_tensor_2d(ctx, GGML_TYPE_F32, d, n);
    float * p = (float *) x->data;
    for (int64_t i = 0; i < (int64_t) d * n; i++) p[i] = frand() * 25;
    return x;
}

// attention over q, k, v [head_dim, L, heads] (f32): sd.cpp's default path or flash attention
static struct ggml_tensor * attention(struct ggml_context * ctx, struct ggml_tensor * q, struct ggml_tensor * k,
                                      struct ggml_tensor * v, int fa) {
    float scale = 1.0f / 11.3137085f; // 1/sqrt(128)
    if (fa) {
        struct ggml_tensor * kf = ggml_cast(ctx, k, GGML_TYPE_F16), * vf = ggml_cast(ctx, v, GGML_TYPE_F16);
        return ggml_flash_attn_ext(ctx, q, kf, vf, NULL, scale, 0.0f, 0.0f);
    }
    struct ggml_tensor * kq = ggml_mul_mat(ctx, k, q);                       // [L_k, L_q, H]
    kq = ggml_soft_max_ext(ctx, kq, NULL, scale, 0.0f);
    struct ggml_tensor * vt = ggml_cont(ctx, ggml_permute(ctx, v, 1, 0, 2, 3)); // [L_k, D, H]
    return ggml_mul_mat(ctx, vt, kq);                                        // [D, L_q, H]
}

static double run(struct ggml_context * ctx, struct ggml_tensor * out, int threads, int reps) {
    struct ggml_cgraph * g = ggml_new_graph_custom(ctx, 256, false);
    ggml_build_forward_expand(g, out);
    ggml_graph_compute_with_ctx(ctx, g, threads); // warm-up
    double best[64]; int n = reps < 64 ? reps : 64;
    for (int i = 0; i < n; i++) { double t0 = now(); ggml_graph_compute_with_ctx(ctx, g, threads); best[i] = now() - t0; }
    for (int i = 1; i < n; i++) for (int j = i; j > 0 && best[j] < best[j - 1]; j--) { double t = best[j]; best[j] = best[j - 1]; best[j - 1] = t; }
    return best[n / 2];
}

int main(int argc, char ** argv) {
    if (argc < 4) { fprintf(stderr, "usage: ggml_blocks TYPE THREADS REPS [--fa] [--size 512]\n"); return 2; }
    enum ggml_type t = parse_type(argv[1]);
    int threads = atoi(argv[2]), reps = atoi(argv[3]), fa = 0, size = 512;
    for (int i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "--fa")) fa = 1;
        else if (!strcmp(argv[i], "--size") && i + 1 < argc) size = atoi(argv[++i]);
    }
    const int C = 3072, H = 24, D = 128, MLP = 12288;
    const int txt = 512 + 192, img = (size / 16) * (size / 16) + 1024, L = txt + img; // USO: T5 + style, image + 512² reference
    size_t mem = (size_t) 12 << 30;
    struct ggml_init_params ip = { mem, NULL, false };
    struct ggml_context * ctx = ggml_init(ip);
    if (!ctx) { fprintf(stderr, "ggml_init failed\n"); return 1; }

    // double block: both streams' qkv, proj and MLP; attention over the joint sequence
    struct ggml_tensor * xi = act(ctx, C, img), * xt = act(ctx, C, txt);
    struct ggml_tensor * iqkv = weight(ctx, t, C, 3 * C), * iproj = weight(ctx, t, C, C), * im0 = weight(ctx, t, C, MLP), * im2 = weight(ctx, t, MLP, C);
    struct ggml_tensor * tqkv = weight(ctx, t, C, 3 * C), * tproj = weight(ctx, t, C, C), * tm0 = weight(ctx, t, C, MLP), * tm2 = weight(ctx, t, MLP, C);
    struct ggml_tensor * qkv = ggml_concat(ctx, ggml_mul_mat(ctx, tqkv, xt), ggml_mul_mat(ctx, iqkv, xi), 1); // [3C, L]
    struct ggml_tensor * q = ggml_cont(ctx, ggml_permute(ctx, ggml_reshape_3d(ctx, ggml_cont(ctx, ggml_view_2d(ctx, qkv, C, L, qkv->nb[1], 0)), D, H, L), 0, 2, 1, 3));
    struct ggml_tensor * k = ggml_cont(ctx, ggml_permute(ctx, ggml_reshape_3d(ctx, ggml_cont(ctx, ggml_view_2d(ctx, qkv, C, L, qkv->nb[1], C * sizeof(float))), D, H, L), 0, 2, 1, 3));
    struct ggml_tensor * v = ggml_cont(ctx, ggml_permute(ctx, ggml_reshape_3d(ctx, ggml_cont(ctx, ggml_view_2d(ctx, qkv, C, L, qkv->nb[1], 2 * C * sizeof(float))), D, H, L), 0, 2, 1, 3));
    struct ggml_tensor * att = attention(ctx, q, k, v, fa);
    struct ggml_tensor * a2 = ggml_cont(ctx, ggml_reshape_2d(ctx, fa ? att : ggml_cont(ctx, ggml_permute(ctx, att, 0, 2, 1, 3)), C, L));
    struct ggml_tensor * at = ggml_view_2d(ctx, a2, C, txt, a2->nb[1], 0), * ai = ggml_view_2d(ctx, a2, C, img, a2->nb[1], (size_t) txt * a2->nb[1]);
    struct ggml_tensor * yi = ggml_add(ctx, ggml_mul_mat(ctx, iproj, ggml_cont(ctx, ai)), ggml_mul_mat(ctx, im2, ggml_gelu(ctx, ggml_mul_mat(ctx, im0, xi))));
    struct ggml_tensor * yt = ggml_add(ctx, ggml_mul_mat(ctx, tproj, ggml_cont(ctx, at)), ggml_mul_mat(ctx, tm2, ggml_gelu(ctx, ggml_mul_mat(ctx, tm0, xt))));
    struct ggml_tensor * dbl = ggml_concat(ctx, yt, yi, 1);
    double tdbl = run(ctx, dbl, threads, reps);

    // single block: linear1 (qkv + mlp in), attention, linear2 over [attn, gelu(mlp)]
    struct ggml_tensor * x = act(ctx, C, L);
    struct ggml_tensor * l1 = weight(ctx, t, C, 3 * C + MLP), * l2 = weight(ctx, t, C + MLP, C);
    struct ggml_tensor * h = ggml_mul_mat(ctx, l1, x); // [3C + MLP, L]
    struct ggml_tensor * sq = ggml_cont(ctx, ggml_permute(ctx, ggml_reshape_3d(ctx, ggml_cont(ctx, ggml_view_2d(ctx, h, C, L, h->nb[1], 0)), D, H, L), 0, 2, 1, 3));
    struct ggml_tensor * sk = ggml_cont(ctx, ggml_permute(ctx, ggml_reshape_3d(ctx, ggml_cont(ctx, ggml_view_2d(ctx, h, C, L, h->nb[1], C * sizeof(float))), D, H, L), 0, 2, 1, 3));
    struct ggml_tensor * sv = ggml_cont(ctx, ggml_permute(ctx, ggml_reshape_3d(ctx, ggml_cont(ctx, ggml_view_2d(ctx, h, C, L, h->nb[1], 2 * C * sizeof(float))), D, H, L), 0, 2, 1, 3));
    struct ggml_tensor * sa = attention(ctx, sq, sk, sv, fa);
    struct ggml_tensor * sa2 = ggml_cont(ctx, ggml_reshape_2d(ctx, fa ? sa : ggml_cont(ctx, ggml_permute(ctx, sa, 0, 2, 1, 3)), C, L));
    struct ggml_tensor * mlp = ggml_gelu(ctx, ggml_cont(ctx, ggml_view_2d(ctx, h, MLP, L, h->nb[1], 3 * C * sizeof(float))));
    struct ggml_tensor * sgl = ggml_mul_mat(ctx, l2, ggml_concat(ctx, sa2, mlp, 0));
    double tsgl = run(ctx, sgl, threads, reps);

    printf("{\"engine\": \"ggml\", \"dtype\": \"%s\", \"attention\": \"%s\", \"size\": %d, \"tokens\": %d, \"threads\": %d, "
           "\"double_block_s\": %.4f, \"single_block_s\": %.4f}\n", argv[1], fa ? "flash_attn_ext" : "mul_mat+soft_max", size, L, threads, tdbl, tsgl);
    ggml_free(ctx);
    return 0;
}
