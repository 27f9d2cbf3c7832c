"""The search page's passage (Highlighter.snippet) reads a body only as far as it needs; it must
give exactly what marking the whole text and cutting the passage out of it gives."""

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search import _WRITTEN_WORD, Highlighter, normalize

WORDS = ["الطاقة", "الطاقه", "والطاقة", "المدارس", "مدرسة", "في", "من", "اعلان", "إعلان", "x1"]
GAPS = [" ", "، ", ". ", " - ", "\n", "«", "» ", "؟ "]


def reference_snippet(highlighter, text, before, length):
    """The passage as the first version computed it: every word of the text marked first."""
    pieces, position = [], 0
    for found in _WRITTEN_WORD.finditer(text):
        if found.start() > position:
            pieces.append((text[position : found.start()], False))
        pieces.append((found.group(), highlighter.matches(found.group())))
        position = found.end()
    if position < len(text):
        pieces.append((text[position:], False))
    words = [i for i, (piece, _) in enumerate(pieces) if _WRITTEN_WORD.match(piece)]
    if not words:
        return ""
    hits = [i for i in words if pieces[i][1]]
    first = words.index(hits[0]) if hits else 0
    start_word = max(0, first - before)
    end_word = min(len(words), start_word + length)
    start = words[start_word] if start_word > 0 else 0
    end = words[end_word - 1] + 1 if end_word < len(words) else len(pieces)
    prefix = "… " if start_word > 0 else ""
    suffix = " …" if end_word < len(words) else ""
    return f"{prefix}{highlighter._render(pieces[start:end])}{suffix}"


texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=80).map(
    lambda parts: "".join(word + gap for word, gap in parts)
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(texts, st.text(max_size=60)),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=2),
    before=st.integers(0, 15),
    length=st.integers(1, 50),
)
def test_the_passage_is_the_one_cut_from_the_whole_marked_text(text, query, before, length):
    highlighter = Highlighter([normalize(word) for word in query])
    expected = reference_snippet(Highlighter(highlighter.words), text, before, length)
    assert highlighter.snippet(text, before=before, length=length) == expected


def test_a_match_far_into_a_long_body_is_found():
    body = "من في " * 3000 + "الطاقة في البلاد"
    passage = Highlighter(["الطاقه"]).snippet(body)
    assert "<mark>الطاقة</mark>" in passage and passage.startswith("… ")
