"""Text analysis shared by the database backend and the highlighter.

One analysis for indexing and querying: Unicode text is folded (accents and case removed,
"Niñez" -> "ninez"), split into words, stop words dropped, and each word reduced to its
Snowball stem in the document's language ("pensiones" and "pensión" -> "pension"). A query
word is stemmed in every portal language, so a Spanish or English query matches documents
in either, whatever accents the user typed.

Anything a user types goes through `parse_query`, which keeps only words: quotes, operators,
control characters and emoji cannot reach a query language.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape

# Languages whose stemmer is applied to every query word (the portal's languages).
QUERY_LANGUAGES = ("en", "es")
STEMMER_NAMES = {
    "en": "english", "es": "spanish", "pt": "portuguese", "fr": "french", "it": "italian",
    "de": "german", "nl": "dutch",
}
MAX_QUERY_CHARACTERS = 1000
MAX_QUERY_WORDS = 16
MAX_WORD_LENGTH = 40

_WORD = re.compile(r"[^\W_]+")

_SPANISH_STOP_WORDS = (
    "a al algo algunas algunos ante antes como con contra cual cuando de del desde donde "
    "durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estas este "
    "esto estos fue ha han hasta hay la las le les lo los mas me mi mientras muy ni no nos "
    "o otra otro para pero poco por que quien se sea segun ser si sin sobre su sus tambien "
    "tiene tu un una unas uno unos y ya"
)
_ENGLISH_STOP_WORDS = (
    "an and are as at be been but by for from had has have he her his how i if in into is "
    "it its of on or our she so than that the their them then there these they this those "
    "to was we were what when where which who will with would you your"
)
STOP_WORDS = frozenset(_SPANISH_STOP_WORDS.split()) | frozenset(_ENGLISH_STOP_WORDS.split())


class _FoldTable(dict):
    """str.translate table computed one character at a time, on first sight."""

    def __missing__(self, code):
        decomposed = unicodedata.normalize("NFKD", chr(code).casefold())
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text):
    """Lower-case and strip accents: "Niñez y Pensión" -> "ninez y pension"."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE)


def words(text):
    """The folded words of a text, in order, stop words included."""
    return [word for word in _WORD.findall(fold(text)) if len(word) <= MAX_WORD_LENGTH]


@lru_cache(maxsize=16)
def _stemmer(language):
    name = STEMMER_NAMES.get((language or "").split("-")[0])
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=200_000)
def stem(word, language):
    """The Snowball stem of a folded word; languages without a stemmer keep the word."""
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer is not None else word


def index_terms(text, language, folded_words=None):
    """The terms stored for a text: folded, stop words dropped, stemmed in its language."""
    if folded_words is None:
        folded_words = words(text)
    return [stem(word, language) for word in folded_words if word not in STOP_WORDS]


def index_text(text, language):
    return " ".join(index_terms(text, language))


@dataclass(frozen=True)
class ParsedQuery:
    """A user's query reduced to words. Each word matches any of its `variants` (its stems
    in the portal's languages); a document must match every word."""

    words: tuple[str, ...]
    variants: tuple[frozenset[str], ...]

    @property
    def is_empty(self):
        return not self.words

    @property
    def all_variants(self):
        return frozenset().union(*self.variants)


def clean_query_text(text):
    """Whatever arrived (None, control characters, 10,000 characters) as a bounded string."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = "".join(" " if unicodedata.category(char)[0] == "C" else char
                   for char in text[:MAX_QUERY_CHARACTERS])
    return " ".join(text.split())


def parse_query(text):
    all_words = words(clean_query_text(text))
    meaningful = [word for word in all_words if word not in STOP_WORDS] or all_words
    unique = list(dict.fromkeys(meaningful))[:MAX_QUERY_WORDS]
    variants = tuple(
        frozenset({word, *(stem(word, language) for language in QUERY_LANGUAGES)})
        for word in unique
    )
    return ParsedQuery(words=tuple(unique), variants=variants)


@lru_cache(maxsize=100_000)
def _word_matches(word, stems, language):
    # Snippets of twenty hits repeat their words: each is decided once per query.
    folded = fold(word)
    return folded in stems or stem(folded, language) in stems or any(
        stem(folded, other) in stems for other in QUERY_LANGUAGES if other != language)


def _matching_spans(text, stems, language):
    for match in _WORD.finditer(text):
        if _word_matches(match.group(), stems, language):
            yield match.start(), match.end()


def highlight(text, query, language, length=None):
    """HTML: `text` escaped, the words matching `query` wrapped in <mark>. With `length`, a
    window of about that many characters around the densest matches (a snippet)."""
    text = text or ""
    if query is None or query.is_empty:
        return escape(_shorten(text, length) if length else text)
    stems = query.all_variants
    scan = text[: 60_000] if length else text
    spans = list(_matching_spans(scan, stems, language))
    if length:
        start, end = _best_window(scan, spans, length)
        spans = [(a, b) for a, b in spans if a >= start and b <= end]
    else:
        start, end = 0, len(text)
    pieces = ["…" if start > 0 else ""]
    cursor = start
    for span_start, span_end in spans:
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return "".join(pieces)


def has_match(text, query, language):
    if query is None or query.is_empty or not text:
        return False
    return next(_matching_spans(text[:60_000], query.all_variants, language), None) is not None


def _shorten(text, length):
    if len(text) <= length:
        return text
    cut = text.rfind(" ", 0, length)
    return text[: cut if cut > length // 2 else length] + "…"


def _best_window(text, spans, length):
    if len(text) <= length:
        return 0, len(text)
    if not spans:
        cut = text.rfind(" ", 0, length)
        return 0, cut if cut > length // 2 else length
    best_start, best_count, last = spans[0][0], 0, 0
    for index, (span_start, _end) in enumerate(spans):
        # Spans are in order: `last` only moves forward (one pass, not one per span).
        last = max(last, index)
        while last < len(spans) and spans[last][0] < span_start + length:
            last += 1
        if last - index > best_count:
            best_start, best_count = span_start, last - index
    # Start a little before the first match, at a word boundary.
    start = max(0, best_start - length // 4)
    if start > 0:
        boundary = text.find(" ", start)
        start = boundary + 1 if 0 <= boundary < best_start else start
    end = min(len(text), start + length)
    if end < len(text):
        boundary = text.rfind(" ", start, end)
        end = boundary if boundary > start + length // 2 else end
    return start, end
