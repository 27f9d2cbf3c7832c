"""Parse article pages exported from the old system (the layout of ../shared/seeds/).

A page is: a date line (``الخميس 28 مارس 2024``), masthead lines in (title, name) pairs up to
a blank line, the headline (the old system repeats it), optional credit lines (``كتب - ...``,
``تصوير: ...``, in the forms ``credits.py`` reads), and body paragraphs, one per line.
"""

import datetime
import re
from dataclasses import dataclass, field

from .arabic import normalize, to_western_digits
from .credits import looks_like_credit, parse_credits, split_byline  # noqa: F401 (public here)

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
_VERB_BYLINE = re.compile(r"^كتب(?:ت|ا|تا|وا|ن)?\s*[-–—:]")
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
    photographers: list[str] = field(default_factory=list)


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
    # Only a كتب line is taken for a byline standing where the headline should be: a headline
    # may well read like another credit ("حوار: ...", "تقرير: ...").
    if position == len(numbered) or _VERB_BYLINE.match(collapse(numbered[position][1])):
        line_number = numbered[position][0] if position < len(numbered) else len(lines)
        raise LegacyFormatError(line_number, "no headline after the masthead")
    headline = collapse(numbered[position][1])
    position += 1
    while position < len(numbered) and collapse(numbered[position][1]) in ("", headline):
        position += 1

    authors, photographers, agencies, dateline = [], [], [], ""
    while position < len(numbered):
        credits = parse_credits(numbered[position][1])
        if credits is None:
            break
        authors += [name for name in credits.writers if name not in authors]
        photographers += [name for name in credits.photographers if name not in photographers]
        agencies += [name for name in credits.agencies if name not in agencies]
        dateline = dateline or credits.dateline
        position += 1
        skip_blank()
    # A credit line this parser cannot read would otherwise become the first paragraph, its
    # people credited nowhere. The file is refused rather than imported with a warning: a
    # refused file is corrected and imported by running the command again, while a page
    # already imported is skipped on the next run (same date and headline), so its byline
    # could then only be mended by hand.
    if position < len(numbered) and looks_like_credit(numbered[position][1]):
        line_number, line = numbered[position]
        raise LegacyFormatError(
            line_number,
            f"{collapse(line)!r} under the headline looks like a byline but is not one of the "
            "forms this importer reads; write it as 'كتب - name' or 'تصوير - name', or start "
            "the paragraph differently",
        )

    paragraphs = [collapse(line) for _, line in numbered[position:] if line.strip()]
    if not paragraphs:
        raise LegacyFormatError(len(lines), "no body paragraphs after the headline and byline")
    if dateline:  # printed at the head of the story: "القاهرة - ..."
        paragraphs[0] = f"{dateline} - {paragraphs[0]}"
    return LegacyPage(
        date=date,
        headline=headline,
        paragraphs=paragraphs,
        masthead=masthead,
        authors=authors,
        agency_credit="، ".join(agencies),
        photographers=photographers,
    )
