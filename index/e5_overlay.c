
/* ---- AVX-512 VNNI overlay (same numerics as the reference kernels) ----
 * matmul: Q4_0 weights repacked once per matrix to unsigned nibbles laid out
 * [32-row group][block][k/4][row][4] so vpdpbusd vectorizes over 32 output
 * rows; per-block int32 sums are scaled by d_w*d_a exactly like the reference.
 * attention: per (segment, head), K transposed, 4 queries at a time. */
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VNNI__)
#include <pthread.h>
#define E5X 1
typedef struct { const void *W; int nout, nin; uint8_t *wq; float *dw; } e5x_pack;
static e5x_pack *e5x_cache; static int e5x_n, e5x_cap;
static pthread_mutex_t e5x_mu = PTHREAD_MUTEX_INITIALIZER;

static const e5x_pack *e5x_get(const block_q4_0 *W, int nout, int nin) {
    pthread_mutex_lock(&e5x_mu);
    for (int i = 0; i < e5x_n; i++)
        if (e5x_cache[i].W == (const void *)W && e5x_cache[i].nout == nout && e5x_cache[i].nin == nin) {
            pthread_mutex_unlock(&e5x_mu); return &e5x_cache[i];
        }
    int nb = nin / QK, ng = nout / 32;
    uint8_t *wq = (uint8_t *)aligned_alloc(64, (size_t)nout * nin);
    float *dw = (float *)aligned_alloc(64, sizeof(float) * (size_t)nout * nb);
    if (!wq || !dw) { free(wq); free(dw); pthread_mutex_unlock(&e5x_mu); return NULL; }
    for (int g = 0; g < ng; g++)
        for (int b = 0; b < nb; b++) {
            uint8_t *o = wq + ((size_t)g * nb + b) * 1024;
            for (int r = 0; r < 32; r++) {
                const block_q4_0 *blk = W + (size_t)(g * 32 + r) * nb + b;
                dw[((size_t)g * nb + b) * 32 + r] = fp16_to_fp32(blk->d);
                for (int kk = 0; kk < QK; kk++) {
                    int val = kk < 16 ? (blk->qs[kk] & 0x0F) : (blk->qs[kk - 16] >> 4);
                    o[(kk >> 2) * 128 + r * 4 + (kk & 3)] = (uint8_t)val;
                }
            }
        }
    if (e5x_n == e5x_cap) {
        int nc = e5x_cap ? 2 * e5x_cap : 128;
        e5x_pack *c = (e5x_pack *)realloc(e5x_cache, sizeof(e5x_pack) * nc);
        if (!c) { free(wq); free(dw); pthread_mutex_unlock(&e5x_mu); return NULL; }
        e5x_cache = c; e5x_cap = nc;
    }
    e5x_pack *p = &e5x_cache[e5x_n++];
    p->W = W; p->nout = nout; p->nin = nin; p->wq = wq; p->dw = dw;
    pthread_mutex_unlock(&e5x_mu);
    return p;
}

/* drop packs whose source weights lie in [lo, hi) (called from e5_free) */
static void e5x_forget(const void *lo, size_t n) {
    if (!lo) return;
    const char *a = (const char *)lo, *z = a + n;
    pthread_mutex_lock(&e5x_mu);
    int w = 0;
    for (int i = 0; i < e5x_n; i++) {
        const char *p = (const char *)e5x_cache[i].W;
        if (p >= a && p < z) { free(e5x_cache[i].wq); free(e5x_cache[i].dw); }
        else e5x_cache[w++] = e5x_cache[i];
    }
    e5x_n = w;
    pthread_mutex_unlock(&e5x_mu);
}

static inline __attribute__((always_inline)) void
e5x_tile(const int NT, const uint8_t *RESTRICT wq, const float *RESTRICT dw,
         const float *bias, const int8_t *RESTRICT aq, const float *RESTRICT ad,
         const int32_t *RESTRICT as, float *RESTRICT Y, int t0, int g, int nb, int nin, int nout) {
    __m512 f[4][2];
    for (int i = 0; i < NT; i++) { f[i][0] = _mm512_setzero_ps(); f[i][1] = _mm512_setzero_ps(); }
    for (int b = 0; b < nb; b++) {
        const uint8_t *wb = wq + ((size_t)g * nb + b) * 1024;
        __m512i acc[4][2];
        for (int i = 0; i < NT; i++) {
            __m512i c = _mm512_set1_epi32(-8 * as[(size_t)(t0 + i) * nb + b]);
            acc[i][0] = c; acc[i][1] = c;
        }
        for (int j = 0; j < 8; j++) {
            __m512i w0 = _mm512_load_si512((const void *)(wb + j * 128));
            __m512i w1 = _mm512_load_si512((const void *)(wb + j * 128 + 64));
            for (int i = 0; i < NT; i++) {
                int32_t a4; memcpy(&a4, aq + (size_t)(t0 + i) * nin + b * QK + j * 4, 4);
                __m512i a = _mm512_set1_epi32(a4);
                acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], w0, a);
                acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], w1, a);
            }
        }
        __m512 d0 = _mm512_load_ps(dw + ((size_t)g * nb + b) * 32);
        __m512 d1 = _mm512_load_ps(dw + ((size_t)g * nb + b) * 32 + 16);
        for (int i = 0; i < NT; i++) {
            __m512 da = _mm512_set1_ps(ad[(size_t)(t0 + i) * nb + b]);
            f[i][0] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[i][0]), _mm512_mul_ps(d0, da), f[i][0]);
            f[i][1] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[i][1]), _mm512_mul_ps(d1, da), f[i][1]);
        }
    }
    __m512 b0 = bias ? _mm512_loadu_ps(bias + g * 32) : _mm512_setzero_ps();
    __m512 b1 = bias ? _mm512_loadu_ps(bias + g * 32 + 16) : _mm512_setzero_ps();
    for (int i = 0; i < NT; i++) {
        float *y = Y + (size_t)(t0 + i) * nout + g * 32;
        _mm512_storeu_ps(y, _mm512_add_ps(b0, f[i][0]));
        _mm512_storeu_ps(y + 16, _mm512_add_ps(b1, f[i][1]));
    }
}


/* per-32-block int8 activation quantization, vectorized (same rounding as
 * lrintf under the default round-to-nearest-even mode) */
static void quantize_acts(const float *RESTRICT X, int L, int nin,
                          int8_t *RESTRICT q, float *RESTRICT d, int32_t *RESTRICT s) {
    int nb = nin / QK;
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int t = 0; t < L; t++) {
        for (int b = 0; b < nb; b++) {
            const float *x = X + (size_t)t * nin + b * QK;
            __m512 x0 = _mm512_loadu_ps(x), x1 = _mm512_loadu_ps(x + 16);
            float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(x0), _mm512_abs_ps(x1)));
            float dd = amax / 127.f, id = dd > 0.f ? 1.f / dd : 0.f;
            __m512 vid = _mm512_set1_ps(id);
            __m512i i0 = _mm512_cvtps_epi32(_mm512_mul_ps(x0, vid));
            __m512i i1 = _mm512_cvtps_epi32(_mm512_mul_ps(x1, vid));
            __m512i lo = _mm512_set1_epi32(-128), hi = _mm512_set1_epi32(127);
            i0 = _mm512_min_epi32(_mm512_max_epi32(i0, lo), hi);
            i1 = _mm512_min_epi32(_mm512_max_epi32(i1, lo), hi);
            int8_t *qq = q + ((size_t)t * nb + b) * QK;
            _mm_storeu_si128((__m128i *)qq, _mm512_cvtepi32_epi8(i0));
            _mm_storeu_si128((__m128i *)(qq + 16), _mm512_cvtepi32_epi8(i1));
            d[(size_t)t * nb + b] = dd;
            s[(size_t)t * nb + b] = _mm512_reduce_add_epi32(_mm512_add_epi32(i0, i1));
        }
    }
}

#define E5X_TC 64   /* tokens per cache chunk */
static void matmul_q4q8(const block_q4_0 *W, const float *bias,
                        const int8_t *aq, const float *ad, const int32_t *as,
                        float *Y, int L, int nout, int nin) {
    const e5x_pack *p = (nout % 32 == 0 && nin % QK == 0) ? e5x_get(W, nout, nin) : NULL;
    if (!p) { matmul_q4q8_ref(W, bias, aq, ad, as, Y, L, nout, nin); return; }
    const uint8_t *wq = p->wq; const float *dw = p->dw;
    int nb = nin / QK, ng = nout / 32, nch = (L + E5X_TC - 1) / E5X_TC;
#pragma omp parallel for collapse(2) schedule(static) if (!omp_in_parallel())
    for (int c = 0; c < nch; c++)
        for (int g = 0; g < ng; g++) {
            int t1 = (c + 1) * E5X_TC < L ? (c + 1) * E5X_TC : L, t = c * E5X_TC;
            for (; t + 4 <= t1; t += 4) e5x_tile(4, wq, dw, bias, aq, ad, as, Y, t, g, nb, nin, nout);
            switch (t1 - t) {
            case 3: e5x_tile(3, wq, dw, bias, aq, ad, as, Y, t, g, nb, nin, nout); break;
            case 2: e5x_tile(2, wq, dw, bias, aq, ad, as, Y, t, g, nb, nin, nout); break;
            case 1: e5x_tile(1, wq, dw, bias, aq, ad, as, Y, t, g, nb, nin, nout); break;
            default: break;
            }
        }
}

/* ctx = softmax(q k^T * scale) v per (segment, head); segments are the
 * [sstart[t], send[t]) ranges. */
static void e5x_attention(const float *q, const float *k, const float *v, float *ctx,
                          const int *sstart, const int *send, int T, int H, int NH,
                          int hd, float scale) {
    int *segs = (int *)malloc(sizeof(int) * (size_t)(T + 1));
    int nseg = 0, maxl = 1;
    for (int t = 0; t < T; t++)
        if (sstart[t] == t) { segs[nseg++] = t; if (send[t] - t > maxl) maxl = send[t] - t; }
    int Lp = (maxl + 15) & ~15;
#pragma omp parallel if (!omp_in_parallel())
    {
        float *KT = (float *)aligned_alloc(64, sizeof(float) * (size_t)hd * Lp);
        float *S = (float *)aligned_alloc(64, sizeof(float) * (size_t)4 * Lp);
#pragma omp for collapse(2) schedule(dynamic, 1)
        for (int si = 0; si < nseg; si++)
            for (int h = 0; h < NH; h++) {
                int s0 = segs[si], L = send[s0] - s0, Lq = (L + 15) & ~15;
                for (int e = 0; e < hd; e++) {
                    float *kt = KT + (size_t)e * Lp;
                    for (int s = 0; s < L; s++) kt[s] = k[(size_t)(s0 + s) * H + h * hd + e];
                    for (int s = L; s < Lq; s++) kt[s] = 0.f;
                }
                for (int t = 0; t < L; t += 4) {
                    int nq = L - t < 4 ? L - t : 4;
                    const float *qh[4];
                    for (int i = 0; i < 4; i++) qh[i] = q + (size_t)(s0 + t + (i < nq ? i : 0)) * H + h * hd;
                    /* scores */
                    for (int s = 0; s < Lq; s += 16) {
                        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
                        for (int e = 0; e < hd; e++) {
                            __m512 kv = _mm512_load_ps(KT + (size_t)e * Lp + s);
                            a0 = _mm512_fmadd_ps(_mm512_set1_ps(qh[0][e]), kv, a0);
                            a1 = _mm512_fmadd_ps(_mm512_set1_ps(qh[1][e]), kv, a1);
                            a2 = _mm512_fmadd_ps(_mm512_set1_ps(qh[2][e]), kv, a2);
                            a3 = _mm512_fmadd_ps(_mm512_set1_ps(qh[3][e]), kv, a3);
                        }
                        __m512 sc = _mm512_set1_ps(scale);
                        _mm512_store_ps(S + s, _mm512_mul_ps(a0, sc));
                        _mm512_store_ps(S + Lp + s, _mm512_mul_ps(a1, sc));
                        _mm512_store_ps(S + 2 * Lp + s, _mm512_mul_ps(a2, sc));
                        _mm512_store_ps(S + 3 * Lp + s, _mm512_mul_ps(a3, sc));
                    }
                    for (int i = 0; i < nq; i++) {
                        float *pr = S + (size_t)i * Lp, mx = -1e30f, sum = 0.f;
                        for (int s = 0; s < L; s++) mx = pr[s] > mx ? pr[s] : mx;
                        for (int s = 0; s < L; s++) { float ev = expf(pr[s] - mx); pr[s] = ev; sum += ev; }
                        float inv = 1.f / sum;
                        for (int s = 0; s < L; s++) pr[s] *= inv;
                    }
                    if (hd == 32) {
                        __m512 c[4][2];
                        for (int i = 0; i < 4; i++) { c[i][0] = _mm512_setzero_ps(); c[i][1] = _mm512_setzero_ps(); }
                        for (int s = 0; s < L; s++) {
                            const float *vh = v + (size_t)(s0 + s) * H + h * 32;
                            __m512 v0 = _mm512_loadu_ps(vh), v1 = _mm512_loadu_ps(vh + 16);
                            for (int i = 0; i < 4; i++) {
                                __m512 pv = _mm512_set1_ps(S[(size_t)i * Lp + s]);
                                c[i][0] = _mm512_fmadd_ps(pv, v0, c[i][0]);
                                c[i][1] = _mm512_fmadd_ps(pv, v1, c[i][1]);
                            }
                        }
                        for (int i = 0; i < nq; i++) {
                            float *ch = ctx + (size_t)(s0 + t + i) * H + h * 32;
                            _mm512_storeu_ps(ch, c[i][0]); _mm512_storeu_ps(ch + 16, c[i][1]);
                        }
                    } else {
                        for (int i = 0; i < nq; i++) {
                            const float *pr = S + (size_t)i * Lp;
                            float *ch = ctx + (size_t)(s0 + t + i) * H + h * hd;
                            for (int e = 0; e < hd; e++) {
                                float acc = 0.f;
                                for (int s = 0; s < L; s++) acc += pr[s] * v[(size_t)(s0 + s) * H + h * hd + e];
                                ch[e] = acc;
                            }
                        }
                    }
                }
            }
        free(KT); free(S);
    }
    free(segs);
}
#else
#define E5X 0
static void matmul_q4q8(const block_q4_0 *W, const float *bias,
                        const int8_t *aq, const float *ad, const int32_t *as,
                        float *Y, int L, int nout, int nin) {
    matmul_q4q8_ref(W, bias, aq, ad, as, Y, L, nout, nin);
}
static void e5x_forget(const void *lo, size_t n) { (void)lo; (void)n; }
static void quantize_acts(const float *RESTRICT X, int L, int nin,
                          int8_t *RESTRICT q, float *RESTRICT d, int32_t *RESTRICT s) {
    quantize_acts_ref(X, L, nin, q, d, s);
}
#endif
