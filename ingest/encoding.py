"""Bytes to text for files that say nothing true about their encoding.

UTF-8 first; then the charset an HTML page declares; then, when the bytes are neither (a page
that declares UTF-8 but holds Latin-1 bytes, a Windows-1252 text file), the encoding
charset-normalizer detects. Text that is mostly UTF-8 with a few stray bytes keeps its UTF-8
and reads each stray byte as Windows-1252, so one bad byte never costs a whole page.

>>> decode_text("Caf\\u00e9 reopens in P\\u00e9ronne".encode("latin-1"), declared="utf-8")[0]
'Café reopens in Péronne'
>>> decode_text("Caf\\u00e9 \\u2014 ".encode() + "cr\\u00e8me".encode("latin-1"))
('Café — crème', 'utf-8+cp1252')
>>> decode_text(b"\\xef\\xbb\\xbfplain")
('plain', 'utf-8')
"""

from __future__ import annotations

import codecs
import logging
import re

from rag.core.errors import IngestError

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_UTF8_NAMES = frozenset(["utf-8", "utf8", "utf_8"])
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_DETECTION_BYTES = 65_536
# Single-byte encodings of Western and Central European text: detection cannot tell them apart
# on a short page, and their letters mostly agree, so any of them means Windows-1252.
_WESTERN = frozenset([
    "cp1252", "cp1250", "latin_1", "iso8859_15", "iso8859_2", "mac_roman", "mac_latin2",
    "mac_iceland", "mac_turkish", "cp1254", "iso8859_9",
])  # fmt: skip


def declared_charset(data: bytes) -> str | None:
    """The `<meta charset>` an HTML page declares in its first 4 KB, if any.

    >>> declared_charset(b'<head><meta charset="ISO-8859-1">')
    'ISO-8859-1'
    """
    found = _META_CHARSET.search(data[:4096])
    return found.group(1).decode("ascii") if found else None


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """`data` as text, with the name of the encoding used (for logs).

    Raises `IngestError` when the bytes are not text in any encoding (a binary file).
    """
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared and declared.lower() not in _UTF8_NAMES:
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            log.info("bytes do not match their declared charset %s; detecting", declared)
    return _detected(data)


def _detected(data: bytes) -> tuple[str, str]:
    if _mostly_utf8(data):
        codecs.register_error(_CP1252_FALLBACK, _cp1252_byte)
        return data.decode("utf-8", errors=_CP1252_FALLBACK), "utf-8+cp1252"
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:_DETECTION_BYTES]))
    if not matches:
        raise IngestError("not a text file (no text encoding fits its bytes)")
    least_chaos = min(m.percent_chaos for m in matches) + 1.0
    fitting = [m.encoding for m in matches if m.percent_chaos <= least_chaos]
    if _WESTERN.intersection(fitting):  # the web's usual mislabel: Windows-1252 (WHATWG)
        return data.decode("cp1252", errors="replace"), "cp1252"
    return data.decode(fitting[0], errors="replace"), fitting[0]


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes hold real UTF-8 sequences and only a few that are not."""
    sequences = _UTF8_SEQUENCE.findall(data)
    stray = len(_HIGH_BYTE.findall(data)) - sum(map(len, sequences))
    return bool(sequences) and stray <= len(sequences)


def _cp1252_byte(error: UnicodeError) -> tuple[str, int]:
    """A decode error handler: read each byte that is not UTF-8 as Windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    raw = error.object[error.start : error.end]
    return raw.decode("cp1252", errors="replace"), error.end


_CP1252_FALLBACK = "citechat-cp1252"


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> tuple[str, int]:
    """`text` with every lone surrogate (a truncated emoji in JSON, an undecodable byte in a
    file name) replaced by U+FFFD, and how many were replaced; such text cannot be stored.

    >>> scrub("emoji " + chr(0xD83D) + " cut")
    ('emoji \\ufffd cut', 1)
    """
    if not _SURROGATE.search(text):
        return text, 0
    # UTF-16 joins the surrogates that pair up and replaces a lone one with U+FFFD.
    fixed = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return fixed, fixed.count("\ufffd") - text.count("\ufffd")


def replaced_note(count: int, what: str = "invalid characters") -> str:
    """The warning that goes with `scrub` or a lossy decode.

    >>> replaced_note(2)
    'replaced 2 invalid characters with \\ufffd (a truncated emoji or a byte that is not UTF-8)'
    """
    return (f"replaced {count} {what} with \ufffd (a truncated emoji or a byte that is not "
            "UTF-8)")
