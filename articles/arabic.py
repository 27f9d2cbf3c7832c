"""Arabic text normalisation: the one place where Arabic text is made comparable.

Search documents, search queries, tag uniqueness and admin search all go through
``normalize()``. It covers what Lucene's ArabicNormalizer does (strip tashkeel and tatweel;
fold alef variants to bare alef, alef maksura to yeh, teh marbuta to heh) and goes further:
NFKC for presentation forms, superscript alef and alef wasla, Quranic annotation marks,
Persian/Urdu letter shapes, Arabic-Indic digits, and invisible bidi and joiner characters
that creep in from pasted text.
"""

import re
import unicodedata

# Harakat and tanween (U+064B..U+065F), superscript alef (U+0670), Quranic annotation marks
# (U+0610..U+061A, U+06D6..U+06ED), and tatweel (U+0640).
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Zero-width and bidi control characters: they change nothing a reader sees.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]")
_SPACES = re.compile(r"\s+")

_DIGITS = {
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # extended Arabic-Indic digits
}
_FOLD = str.maketrans(
    {
        "\u0622": "\u0627",  # alef with madda above
        "\u0623": "\u0627",  # alef with hamza above
        "\u0625": "\u0627",  # alef with hamza below
        "\u0671": "\u0627",  # alef wasla
        "\u0672": "\u0627",  # alef with wavy hamza above
        "\u0673": "\u0627",  # alef with wavy hamza below
        "\u0649": "\u064a",  # alef maksura -> yeh
        "\u06cc": "\u064a",  # farsi yeh
        "\u06d2": "\u064a",  # yeh barree
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u06c0": "\u0647",  # heh with yeh above
        "\u06c1": "\u0647",  # heh goal
        "\u06d5": "\u0647",  # ae
        "\u06a9": "\u0643",  # keheh -> kaf
        **_DIGITS,
    }
)
_WESTERN_DIGITS = str.maketrans(_DIGITS)


def strip_marks(text):
    """Remove tashkeel, tatweel and invisible characters, keeping letter shapes as written."""
    text = unicodedata.normalize("NFKC", text or "")
    return _INVISIBLE.sub("", _MARKS.sub("", text))


def normalize(text):
    """Return ``text`` folded for comparison: same word, same string, whatever the spelling."""
    text = strip_marks(text).translate(_FOLD).casefold()
    return _SPACES.sub(" ", text).strip()


def to_western_digits(text):
    """Replace Arabic-Indic digits with ASCII ones, leaving everything else as written."""
    return (text or "").translate(_WESTERN_DIGITS)
