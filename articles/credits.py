"""Read the credit lines printed under a headline: who wrote the story, who took the photos.

Arab dailies vary the line a great deal. The forms recognised:

- the verb, agreeing with the writers: كتب، كتبت، كتبا، كتبتا، كتبوا، كتبن;
- a credit word: بقلم، إعداد، تقرير، تحقيق، حوار، أجرى الحوار، متابعة (writers), تصوير، عدسة
  (photographers), and their combinations with و: كتب وصور، تقرير وتصوير، إعداد ومتابعة;
- a separator or none: ``كتب - ``، ``كتب: ``، ``كتب – ``، ``كتب — ``، ``بقلم فلان``;
- a dateline in front: ``القاهرة - كتب فلان``، ``القاهرة - (أ ش أ)``;
- several credits on one line, apart or split by / or |: ``كتب - فلان  تصوير - فلان``;
- agencies after the names or alone: ``ووكالات الأنباء``، ``(أ ش أ)``، ``رويترز``، ``أ ف ب``.

A line the recogniser cannot read but that has a credit's shape is reported by ``looks_like_credit``
so the importer never mistakes it for the story's first paragraph.
"""

import re
from dataclasses import dataclass, field

from .arabic import normalize

WRITER, PHOTOGRAPHER = "writer", "photographer"

# Normalised credit word -> role. The verb's forms agree with the writers in number and gender.
_VERBS = {"كتب": 1, "كتبت": 1, "كتبا": 2, "كتبتا": 2, "كتبوا": 3, "كتبن": 3}
_CREDIT_WORDS = {
    **dict.fromkeys(_VERBS, WRITER),
    **dict.fromkeys(
        map(normalize, ["بقلم", "إعداد", "تقرير", "تحقيق", "حوار", "متابعة", "كتابة"]), WRITER
    ),
    **dict.fromkeys(map(normalize, ["تصوير", "عدسة", "صور", "صورت", "صوروا"]), PHOTOGRAPHER),
}
# Two-word credits: أجرى الحوار (conducted the interview), in its agreeing forms.
_CREDIT_PHRASES = {
    (normalize(verb), normalize("الحوار")): WRITER for verb in ["أجرى", "أجرت", "أجراه", "أجرته"]
}
# News agencies as bylines print them, normalised; parenthesised text is always an agency.
AGENCIES = frozenset(
    normalize(name)
    for name in [
        "أ ش أ", "أ.ش.أ", "رويترز", "أ ف ب", "أ.ف.ب", "فرانس برس", "د ب أ", "د.ب.أ", "أ ب",
        "أسوشيتد برس", "شينخوا", "الأناضول", "سبوتنيك", "واس", "وام", "كونا", "بترا", "سانا",
        "قنا", "بنا", "وفا", "يونا",
    ]
)  # fmt: skip
AGENCY_PREFIX = normalize("وكال")

# Dashes an archive uses between a credit word and the names (hyphen-minus, en and em dashes,
# minus, figure dash, horizontal bar), the colon, and / or | between two credits.
_DASHES = "\\-\u2010\u2012\u2013\u2014\u2015\u2212"
_TOKEN = re.compile(rf"\([^()]*\)|[{_DASHES}:]+|[/|]|[^\s{_DASHES}:/|()]+")
_SEPARATOR = re.compile(rf"^[{_DASHES}:]+$")
_SPACES = re.compile(r"\s+")
# A dateline is a place of one to three words.
_MAX_DATELINE_WORDS = 3
# Longest line taken for a credit: a byline names a few people, a paragraph says something.
MAX_CREDIT_WORDS = 16
_SENTENCE_END = re.compile(r"[.!؟?]$")
_MAX_NAMES_WITHOUT_SEPARATOR = 5
# "د. محمد عبد الرحمن أبو العينين" is six words; more is a sentence.
_MAX_WORDS_IN_NAME = 6


@dataclass
class Credits:
    writers: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    dateline: str = ""


def collapse(text):
    return _SPACES.sub(" ", text).strip()


def _is_agency(name):
    folded = normalize(name.strip("()"))
    return folded in AGENCIES or folded.startswith(AGENCY_PREFIX) or name.startswith("(")


def split_byline(names):
    """Split ``سامح عادل ومنى الشريف ووكالات الأنباء`` into authors and an agency credit.

    A word starting with و may be the conjunction or part of a name (وليد، وائل), so a split
    is taken only where both sides keep at least two words, or the rest names an agency.
    """
    authors = []
    for part in re.split(r"\s*[،,]\s*", collapse(names)):
        # A conjunction written apart ("علي و منى") is joined to the next word first.
        words = re.sub(r"(^|\s)و\s+", r"\1و", part).split()
        start = 0
        for index in range(1, len(words)):
            word = words[index]
            if not word.startswith("و") or len(word) == 1:
                continue
            rest = [word[1:], *words[index + 1 :]]
            is_agency = _is_agency(rest[0]) or normalize(" ".join(rest)) in AGENCIES
            if index - start >= 2 and (len(rest) >= 2 or is_agency):
                authors.append(" ".join(words[start:index]))
                words[index] = word[1:]
                start = index
        authors.append(" ".join(words[start:]))
    authors = [name for name in authors if name]
    agency = ""
    if authors and (_is_agency(authors[-1]) or normalize(authors[-1]) in AGENCIES):
        agency = authors.pop()
    return authors, agency


# Words that make a phrase a sentence, never part of a person's name (compared normalised).
# Not على: normalised it is علي, a name, and Egyptian papers spell علي as على.
_NOT_IN_NAMES = frozenset(
    normalize(word)
    for word in "قال قالت يقول تقول أن إن إلى في من عن هذا هذه الذي التي تم كان اليوم أمس".split()
)


def _plausible_name(name):
    """A person's name: a few words, no digits ("تقرير: النمو 3% هذا العام" is a sentence), and
    none of the little words of a sentence ("كتب مصدر قال - إن الطقس")."""
    words = name.split()
    return (
        len(words) <= _MAX_WORDS_IN_NAME
        and not any(c.isdigit() for c in name)
        and not any(normalize(word) in _NOT_IN_NAMES for word in words)
    )


def _split_names(text, expected):
    """``(names, agencies)`` in ``text``, or None when the verb's ``expected`` number of people
    cannot be found in it."""
    agencies = []
    # A parenthesised agency may sit anywhere: "فلان (أ ش أ)", "فلان و(أ ش أ)".
    # Kept in its brackets, as printed: "كتب - فلان و(أ ش أ)".
    for found in re.findall(r"\(([^()]*)\)", text):
        agencies.append(f"({collapse(found)})")
    text = collapse(re.sub(r"\s*و?\s*\([^()]*\)", " ", text))
    names, agency = split_byline(text) if text else ([], "")
    if agency:
        agencies.insert(0, agency)
    if len(names) == 1 and expected > 1:
        # كتبا / كتبوا say there are several writers: "أحمد ومنى" is then two names.
        words = names[0].split()
        cut = [i for i, word in enumerate(words) if i and word.startswith("و") and len(word) > 1]
        # For the dual only when the conjunctions add up: in "أحمد وليد ومنى" (كتبا) one of
        # the two و belongs to a name, and which one cannot be told. The plural (كتبوا) is
        # printed for two writers as well as for more, so every و splits.
        if cut and (len(cut) + 1 == expected or expected > 2):
            parts, start = [], 0
            for index in cut:
                parts.append(" ".join(words[start:index]))
                words[index] = words[index][1:]
                start = index
            parts.append(" ".join(words[start:]))
            names = parts
    if names and len(names) < min(expected, 2):
        return None  # the verb names more writers than can be told apart: a person decides
    return names, agencies


def _credit_head(tokens, position):
    """``(roles, expected people, next position)`` if a credit word starts at ``position``."""
    roles, expected, index = [], 1, position
    while index < len(tokens):
        word = normalize(tokens[index])
        joined = index > position
        if joined:  # a further credit word must come with و: "كتب وصور"، "تقرير و تصوير"
            if word == "و" and index + 1 < len(tokens):
                index += 1
                word = normalize(tokens[index])
            elif word.startswith("و") and word[1:] in _CREDIT_WORDS:
                word = word[1:]
            else:
                break
        pair = (word, normalize(tokens[index + 1])) if index + 1 < len(tokens) else None
        if pair in _CREDIT_PHRASES:
            roles.append(_CREDIT_PHRASES[pair])
            index += 2
        elif word in _CREDIT_WORDS:
            roles.append(_CREDIT_WORDS[word])
            expected = max(expected, _VERBS.get(word, 1))
            index += 1
        else:
            if joined:
                index -= 1 if normalize(tokens[index - 1]) == "و" else 0
            break
    return (roles, expected, index) if roles else None


def _starts_credit(tokens, position):
    """Whether a new credit begins at ``position`` (a credit word then a separator)."""
    head = _credit_head(tokens, position)
    return head is not None and head[2] < len(tokens) and _SEPARATOR.match(tokens[head[2]])


def parse_credits(line):
    """The Credits printed on ``line``, or None if it is not a credit line this module reads."""
    text = collapse(line)
    tokens = _TOKEN.findall(text)
    if not tokens or len(tokens) > MAX_CREDIT_WORDS or _SENTENCE_END.search(text):
        return None
    if len(tokens) <= 4 and _is_agency(text) or normalize(text.strip("()")) in AGENCIES:
        return Credits(agencies=[text])
    credits = Credits()
    position = 0
    # A dateline: a few words, a dash, then a credit word or an agency.
    if _credit_head(tokens, 0) is None and not tokens[0].startswith("("):
        dash = next((i for i, t in enumerate(tokens) if _SEPARATOR.match(t)), None)
        if dash is None or not 1 <= dash <= _MAX_DATELINE_WORDS or dash + 1 >= len(tokens):
            return None
        after = tokens[dash + 1]
        if _credit_head(tokens, dash + 1) is None and not _is_agency(after):
            return None
        credits.dateline = " ".join(tokens[:dash])
        position = dash + 1

    while position < len(tokens):
        if tokens[position] in "/|" or _SEPARATOR.match(tokens[position]):
            position += 1
            continue
        head = _credit_head(tokens, position)
        if head is None:
            # Only agencies may stand without a credit word: "القاهرة - (أ ش أ)".
            rest = " ".join(tokens[position:])
            names, agencies = _split_names(rest, 1)
            if names or not agencies:
                return None
            credits.agencies.extend(agencies)
            break
        roles, expected, position = head
        separated = position < len(tokens) and bool(_SEPARATOR.match(tokens[position]))
        while position < len(tokens) and _SEPARATOR.match(tokens[position]):
            position += 1
        end = position
        while end < len(tokens) and tokens[end] not in "/|" and not _starts_credit(tokens, end):
            end += 1
        # Without a separator ("بقلم فلان") only a short run of words is taken for names:
        # "كتب الوزير مقالا عن الموازنة" is a sentence, not a byline.
        if not separated and end - position > _MAX_NAMES_WITHOUT_SEPARATOR:
            return None
        names_text = " ".join(t for t in tokens[position:end] if not _SEPARATOR.match(t))
        split = _split_names(names_text, expected)
        if split is None:
            return None
        names, agencies = split
        if not names and not agencies or not all(map(_plausible_name, names)):
            return None
        for role in dict.fromkeys(roles):
            target = credits.writers if role == WRITER else credits.photographers
            target.extend(name for name in names if name not in target)
        credits.agencies.extend(a for a in agencies if a not in credits.agencies)
        position = end
    if not (credits.writers or credits.photographers or credits.agencies):
        return None
    return credits


def looks_like_credit(line):
    """Whether ``line`` has a credit's shape: a credit word in front, or a short labelled line.

    Used on the line under the headline when ``parse_credits`` could not read it: such a line
    must not pass for the story's first paragraph.
    """
    text = collapse(line)
    tokens = _TOKEN.findall(text)
    if not tokens or len(tokens) > MAX_CREDIT_WORDS or _SENTENCE_END.search(text):
        return False
    head = _credit_head(tokens, 0)
    if head is not None:
        # "كتب -" or "تصوير:" with no names, or a credit word and a few words; a longer
        # run without a separator is a sentence that starts with a verb ("كتب الوزير ...").
        return (
            head[2] < len(tokens)
            and bool(_SEPARATOR.match(tokens[head[2]]))
            or (len(tokens) <= _MAX_NAMES_WITHOUT_SEPARATOR + 1)
        )
    # "رصد - فلان"، "القاهرة - فلان:"، "شارك في التغطية: فلان": a label, a separator, a few words.
    separators = [i for i, token in enumerate(tokens) if _SEPARATOR.match(token)]
    return bool(separators) and separators[0] <= _MAX_DATELINE_WORDS and len(tokens) <= 8
