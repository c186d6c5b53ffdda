"""Decoding text files: UTF-8, UTF-16/32 (with BOM), Windows-1258 and the legacy TCVN3 (ABC) and VNI encodings.

Python has codecs for the Unicode encodings and Windows-1258 but not for the two
font-based encodings older Vietnamese documents use, so their tables are here:

- TCVN3 (TCVN 5712:1993, the "ABC" .VnTime fonts): one byte per letter, tones
  precomposed (0xB8 "á", 0xAD "ư", 0xAE "đ"); as in the ABC fonts, bytes 0x80-0x9F
  are Windows punctuation (the full VN1 table puts upper-case toned letters there).
- VNI (VNI-Windows fonts): a base letter followed by a byte for its shape and
  tone ("a" 0xF9 "á", "a" 0xE1 "ấ"); a few letters are one byte (0xF1 "đ",
  0xF6 "ư", 0xF4 "ơ", 0xED "í").

`decode_text` tries the BOMs, then UTF-16 without a BOM (by where its NUL bytes fall), then
UTF-8 strictly, then scores every legacy candidate by the share of its accented words that are
valid Vietnamese syllables;
the result is NFC. Encoders for the legacy tables are included so tests can
write real legacy files.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from index.textnorm import TONE_MARKS


class UndeterminedEncoding(ValueError):
    """Raised when no candidate decoding looks like Vietnamese text."""


# -- TCVN3 (TCVN 5712:1993 VN1 table; the ABC fonts use 0xA0-0xFF), bytes 0x80-0xFF ---------------
_TCVN3_HIGH = [
    0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,  # 0x80
    0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,
    0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,  # 0x90
    0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,
    0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,  # 0xA0
    0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
    0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3,  # 0xB0
    0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
    0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,  # 0xC0
    0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
    0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,  # 0xD0
    0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
    0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,  # 0xE0
    0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
    0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,  # 0xF0
    0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
]
# bytes 0x80-0x9F in Windows files are punctuation (smart quotes, dashes), as in Windows-1252
_WINDOWS_LOW = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
TCVN3_DECODE = "".join(
    chr(b) if b < 0x80 else _WINDOWS_LOW.get(b) or chr(_TCVN3_HIGH[b - 0x80]) for b in range(0x100)
)
_TCVN3_ENCODE = {ch: bytes([b]) for b, ch in enumerate(TCVN3_DECODE)}

# -- VNI-Windows -------------------------------------------------------------------------------------
# tone suffix bytes (lower-case letters; upper-case letters use the byte minus 0x20)
_TONE_ORDER = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc, huyền, hỏi, ngã, nặng
_VNI_PLAIN_TONES = (0xF9, 0xF8, 0xFB, 0xF5, 0xEF)  # after a, e, o, u, y, ơ, ư
_VNI_CIRCUMFLEX = (0xE2, (0xE1, 0xE0, 0xE5, 0xE3, 0xE4))  # â ê ô: shape byte, then shape+tone bytes
_VNI_BREVE = (0xEA, (0xE9, 0xE8, 0xFA, 0xFC, 0xEB))  # ă
# letters that are a single byte in VNI (lower case; upper case is the byte minus 0x20)
_VNI_SINGLE = {"đ": 0xF1, "ư": 0xF6, "ơ": 0xF4, "í": 0xED, "ì": 0xEC, "ỉ": 0xE6, "ĩ": 0xF3, "ị": 0xF2, "ỵ": 0xEE}


def _vni_tables() -> tuple[dict[str, bytes], dict[bytes, str]]:
    encode: dict[str, bytes] = {}

    def add(letter: str, code: bytes) -> None:
        for up in (False, True):
            ch = unicodedata.normalize("NFC", letter.upper() if up else letter)
            encode[ch] = bytes(b - 0x20 if up and b >= 0xC0 else (ord(chr(b).upper()) if up else b) for b in code)

    for ch, b in _VNI_SINGLE.items():
        add(ch, bytes([b]))
    for base in "aeouy":
        for tone, b in zip(_TONE_ORDER, _VNI_PLAIN_TONES, strict=True):
            if base + tone == "y\u0323":
                continue  # ỵ is a single byte
            add(base + tone, bytes([ord(base), b]))
    for horned, byte in (("ơ", 0xF4), ("ư", 0xF6)):
        for tone, b in zip(_TONE_ORDER, _VNI_PLAIN_TONES, strict=True):
            add(horned + tone, bytes([byte, b]))
    for shaped, (shape_byte, tone_bytes) in (
        ("â", _VNI_CIRCUMFLEX), ("ê", _VNI_CIRCUMFLEX), ("ô", _VNI_CIRCUMFLEX), ("ă", _VNI_BREVE),
    ):
        letter = ord(unicodedata.normalize("NFD", shaped)[0])
        add(shaped, bytes([letter, shape_byte]))
        for tone, b in zip(_TONE_ORDER, tone_bytes, strict=True):
            add(shaped + tone, bytes([letter, b]))
    decode = {code: ch for ch, code in encode.items()}
    return encode, decode


_VNI_ENCODE, _VNI_DECODE = _vni_tables()
_VNI_ENCODE.update({ch: bytes([b]) for b, ch in _WINDOWS_LOW.items()})
_VNI_ENCODE.update({chr(b): bytes([b]) for b in range(0xA0, 0xC0)})  # Latin-1 symbols below VNI's letter bytes
_VNI_PAIRS = {code: ch for code, ch in _VNI_DECODE.items() if len(code) == 2}
_VNI_SINGLES = {code[0]: ch for code, ch in _VNI_DECODE.items() if len(code) == 1}


def decode_vni(raw: bytes) -> str:
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        pair = _VNI_PAIRS.get(raw[i : i + 2]) if i + 1 < n else None
        if pair is not None:
            out.append(pair)
            i += 2
            continue
        b = raw[i]
        out.append(_VNI_SINGLES.get(b) or _WINDOWS_LOW.get(b) or chr(b))
        i += 1
    return "".join(out)


def decode_tcvn3(raw: bytes) -> str:
    return raw.decode("latin-1").translate(_TCVN3_TRANSLATE)


_TCVN3_TRANSLATE = {b: TCVN3_DECODE[b] for b in range(0x80, 0x100)}


def _encode_with(table: dict[str, bytes], text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        code = table.get(ch)
        if code is None:
            if ord(ch) < 0x80:
                code = ch.encode("ascii")
            else:  # a letter the table lacks: its base letter and the combining tone, if the table has them
                parts = [table.get(p) or (p.encode("ascii") if ord(p) < 0x80 else b"?") for p in _split_tone(ch)]
                code = b"".join(parts)
        out += code
    return bytes(out)


def _split_tone(ch: str) -> list[str]:
    decomposed = unicodedata.normalize("NFD", ch)
    tones = [c for c in decomposed if c in TONE_MARKS]
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    return [base, *tones]


def encode_tcvn3(text: str) -> bytes:
    """Unicode -> TCVN3 bytes (upper-case toned letters missing from the table become base + tone byte)."""
    return _encode_with(_TCVN3_ENCODE, text)


def encode_vni(text: str) -> bytes:
    return _encode_with(_VNI_ENCODE, text)


def encode_cp1258(text: str) -> bytes:
    """Unicode -> Windows-1258 the way Windows writes it: precomposed where the code page has the letter,
    otherwise the shaped base letter followed by a combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            out += "".join(_split_tone(ch)).encode("cp1258", errors="replace")
    return bytes(out)


# -- scoring ---------------------------------------------------------------------------------------
_ONSET = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEUS = (
    "uyê|uyu|uya|iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ôô|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ưu|ươ|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_SYLLABLE = re.compile(rf"^(?:{_ONSET})?(?:{_NUCLEUS})(?P<coda>ch|ng|nh|c|m|n|p|t)?$")
_STOP_CODA = {"c", "ch", "p", "t"}
_WORD = re.compile(r"\w+", re.UNICODE)
_COMMON = frozenset({
    "và", "của", "các", "được", "trong", "có", "cho", "với", "là", "những", "một", "để", "người", "không",
    "này", "đã", "theo", "về", "chủ", "trì", "phối", "hợp", "đơn", "vị", "nhiệm", "vụ", "thực", "hiện", "bộ",
    "cục", "sở", "tỉnh", "năm", "ngày", "tháng", "việc", "quản", "lý", "phát", "triển", "kinh", "tế", "công",
    "tác",
})
# non-ASCII characters that are not Vietnamese letters but do occur in Vietnamese text
_OK_SYMBOLS = frozenset("\u00a0“”‘’–—…•°«»§©®±×€·")
_VIETNAMESE_LETTERS = frozenset("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")


@lru_cache(maxsize=50_000)
def is_vietnamese_syllable(word: str) -> bool:
    """Spelling check of one syllable: onset, vowel nucleus, coda; at most one tone; c/ch/p/t codas take only
    the sắc or nặng tone."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    match = _SYLLABLE.match(base)
    if not match:
        return False
    return not (match.group("coda") in _STOP_CODA and tones and tones[0] not in ("\u0301", "\u0323"))


@dataclass(frozen=True)
class Score:
    encoding: str
    valid_share: float  # of the words with non-ASCII letters, the share that are Vietnamese syllables
    marked_words: int
    common: int  # occurrences of common Vietnamese words


def score_vietnamese(text: str, encoding: str) -> Score:
    marked = valid = common = 0
    junk = sum(1 for c in text if ord(c) >= 0x80 and not c.isalpha() and c not in _OK_SYMBOLS
               and not unicodedata.combining(c) and not c.isspace())
    for word in _WORD.findall(text):
        lower = word.casefold()
        if lower in _COMMON:
            common += 1
        if word.isascii():
            continue
        marked += 1
        if all(c.isascii() or c in _VIETNAMESE_LETTERS for c in lower) and is_vietnamese_syllable(lower):
            valid += 1
    total = marked + junk
    return Score(encoding, valid / total if total else 0.0, marked, common)


# -- detection -------------------------------------------------------------------------------------
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY = {"windows-1258": lambda raw: raw.decode("cp1258"), "tcvn3": decode_tcvn3, "vni": decode_vni}
MIN_VALID_SHARE = 0.8
SAMPLE_BYTES = 400_000  # scoring looks at the start of a large file only


class BinaryContent(ValueError):
    """Raised for bytes that are not text in any encoding (NUL or control bytes)."""


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:SAMPLE_BYTES]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1A))
    return controls > max(2, len(sample) // 200)


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a byte-order mark (Windows "Unicode" files from some tools): most characters of
    Latin-script text have a zero high byte, so NULs fill one byte position of the pairs and (almost) never the
    other. Decoded strictly, it must read as text: letters, digits, spaces and punctuation."""
    sample = raw[: SAMPLE_BYTES - SAMPLE_BYTES % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    pairs = len(sample) // 2
    if zeros_odd >= 0.3 * pairs and zeros_even <= 0.01 * pairs:
        codec = "utf-16-le"
    elif zeros_even >= 0.3 * pairs and zeros_odd <= 0.01 * pairs:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = raw[: len(raw) - len(raw) % 2].decode(codec)
    except UnicodeDecodeError:
        return None
    body = text[: SAMPLE_BYTES // 2]
    texty = sum(1 for c in body if c.isalnum() or c.isspace() or unicodedata.category(c)[0] in "PMS")
    if "\x00" in text or texty < 0.97 * len(body):
        return None
    return unicodedata.normalize("NFC", text), "utf-16"


def decode_text(raw: bytes) -> tuple[str, str]:
    """(NFC text, encoding name) of a text file's bytes.

    Raises BinaryContent for binary data and UndeterminedEncoding when no candidate is convincing.
    """
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return unicodedata.normalize("NFC", raw.decode(name)), name.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise UndeterminedEncoding(f"invalid {name} after its byte-order mark (byte {exc.start})") from exc
    utf16 = _utf16_without_bom(raw) if b"\x00" in raw[:SAMPLE_BYTES] else None
    if utf16 is not None:
        return utf16
    if _looks_binary(raw):
        raise BinaryContent("looks binary (contains NUL or control bytes)")
    try:
        return unicodedata.normalize("NFC", raw.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = raw[:SAMPLE_BYTES]
    scores: list[Score] = []
    for name, decode in _LEGACY.items():
        try:
            scores.append(score_vietnamese(unicodedata.normalize("NFC", decode(sample)), name))
        except UnicodeDecodeError:
            continue
    scores.sort(key=lambda s: (s.valid_share, s.common), reverse=True)
    if not scores or scores[0].valid_share < MIN_VALID_SHARE or scores[0].marked_words == 0:
        best = f"; best guess {scores[0].encoding} at {scores[0].valid_share:.0%}" if scores else ""
        raise UndeterminedEncoding(
            f"encoding could not be determined (not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI{best})"
        )
    name = scores[0].encoding
    return unicodedata.normalize("NFC", _LEGACY[name](raw)), name


__all__ = [
    "BinaryContent", "UndeterminedEncoding", "decode_tcvn3", "decode_text", "decode_vni", "encode_cp1258",
    "encode_tcvn3", "encode_vni", "is_vietnamese_syllable", "score_vietnamese",
]
