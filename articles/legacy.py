"""Parse article pages exported from the old system (the layout of ../shared/seeds/).

A page is: a date line (``الخميس 28 مارس 2024``), masthead lines in (title, name) pairs up to
a blank line, the headline (the old system repeats it), an optional ``كتب - ...`` byline, and
body paragraphs, one per line.
"""

import datetime
import re
from dataclasses import dataclass, field

from .arabic import normalize, to_western_digits

MONTHS = {
    normalize(name): number
    for number, names in enumerate(
        [
            ["يناير", "كانون الثاني", "جانفي"],
            ["فبراير", "شباط", "فيفري"],
            ["مارس", "آذار"],
            ["أبريل", "إبريل", "نيسان", "أفريل"],
            ["مايو", "أيار", "ماي"],
            ["يونيو", "يونيه", "حزيران", "جوان"],
            ["يوليو", "يوليه", "تموز", "جويلية"],
            ["أغسطس", "آب", "أوت"],
            ["سبتمبر", "أيلول"],
            ["أكتوبر", "تشرين الأول"],
            ["نوفمبر", "تشرين الثاني"],
            ["ديسمبر", "كانون الأول"],
        ],
        start=1,
    )
    for name in names
}
# Python's weekday(): Monday is 0.
WEEKDAYS = {
    normalize(name): number
    for number, names in enumerate(
        [
            ["الاثنين", "الإثنين"],
            ["الثلاثاء"],
            ["الأربعاء"],
            ["الخميس"],
            ["الجمعة"],
            ["السبت"],
            ["الأحد"],
        ]
    )
    for name in names
}
DATE_LINE = re.compile(
    r"^(?:(?P<weekday>\S+)\s+)?(?P<day>\d{1,2})\s+(?P<month>\D+?)\s+(?P<year>\d{4})$"
)
BYLINE = re.compile(r"^كتب\s*[-–—:]\s*(?P<names>.+)$")
AGENCY_PREFIX = normalize("وكال")
_SPACES = re.compile(r"\s+")


class LegacyFormatError(ValueError):
    def __init__(self, line, reason):
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.line = line
        self.reason = reason


@dataclass
class LegacyPage:
    date: datetime.date
    headline: str
    paragraphs: list[str]
    masthead: list[tuple[str, str]] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    agency_credit: str = ""


def collapse(text):
    return _SPACES.sub(" ", text).strip()


def parse_date_line(text, line_number):
    match = DATE_LINE.match(collapse(to_western_digits(text)))
    if not match:
        raise LegacyFormatError(
            line_number, f"expected a date line like 'الخميس 28 مارس 2024', found {text.strip()!r}"
        )
    month = MONTHS.get(normalize(match["month"]))
    if month is None:
        raise LegacyFormatError(line_number, f"unknown month name {match['month']!r}")
    try:
        date = datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError as error:
        raise LegacyFormatError(line_number, f"invalid date {text.strip()!r}: {error}") from None
    if match["weekday"] is not None:
        weekday = WEEKDAYS.get(normalize(match["weekday"]))
        if weekday is None:
            raise LegacyFormatError(line_number, f"unknown weekday name {match['weekday']!r}")
        if weekday != date.weekday():
            raise LegacyFormatError(
                line_number, f"{match['weekday']!r} does not fall on {date.isoformat()}"
            )
    return date


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
            is_agency = normalize(rest[0]).startswith(AGENCY_PREFIX)
            if index - start >= 2 and (len(rest) >= 2 or is_agency):
                authors.append(" ".join(words[start:index]))
                words[index] = word[1:]
                start = index
        authors.append(" ".join(words[start:]))
    authors = [name for name in authors if name]
    agency = ""
    if authors and normalize(authors[-1]).startswith(AGENCY_PREFIX):
        agency = authors.pop()
    return authors, agency


def parse_page(text):
    """Return the LegacyPage in ``text``, or raise LegacyFormatError saying where and why."""
    lines = [line.rstrip() for line in text.lstrip("\ufeff").splitlines()]
    numbered = list(enumerate(lines, start=1))
    position = 0

    def skip_blank():
        nonlocal position
        while position < len(numbered) and not numbered[position][1].strip():
            position += 1

    skip_blank()
    if position == len(numbered):
        raise LegacyFormatError(0, "the file is empty")
    line_number, line = numbered[position]
    date = parse_date_line(line, line_number)
    position += 1

    masthead_lines = []
    while position < len(numbered) and numbered[position][1].strip():
        masthead_lines.append(numbered[position])
        position += 1
    if len(masthead_lines) % 2:
        line_number, title = masthead_lines[-1]
        raise LegacyFormatError(
            line_number, f"masthead title {title.strip()!r} has no name after it"
        )
    masthead = [
        (collapse(masthead_lines[i][1]), collapse(masthead_lines[i + 1][1]))
        for i in range(0, len(masthead_lines), 2)
    ]

    skip_blank()
    if position == len(numbered) or BYLINE.match(collapse(numbered[position][1])):
        line_number = numbered[position][0] if position < len(numbered) else len(lines)
        raise LegacyFormatError(line_number, "no headline after the masthead")
    headline = collapse(numbered[position][1])
    position += 1
    while position < len(numbered) and collapse(numbered[position][1]) in ("", headline):
        position += 1

    authors, agency = [], ""
    if position < len(numbered):
        byline = BYLINE.match(collapse(numbered[position][1]))
        if byline:
            authors, agency = split_byline(byline["names"])
            position += 1

    paragraphs = [collapse(line) for _, line in numbered[position:] if line.strip()]
    if not paragraphs:
        raise LegacyFormatError(len(lines), "no body paragraphs after the headline and byline")
    return LegacyPage(
        date=date,
        headline=headline,
        paragraphs=paragraphs,
        masthead=masthead,
        authors=authors,
        agency_credit=agency,
    )
