"""QA checks on one translation: cheap signs that a machine translation needs a careful look.

Each check is a small pure function ``(source, target, context) -> detail or None``, in the style of
Babel's ``messages/checkers.py``: it knows nothing about PO files. The runner writes each warning into
the entry's extracted comments as ``#. qa: <check>: <detail>``, where Poedit and Weblate show it to the
translator and ``status`` counts it. A warning is a hint, never a verdict: the translation is still
written, and a reviewer decides.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pipeline.ingest.inline import plain_of, tag_mismatch
from pipeline.language import DIGIT_CLASS, ascii_digits, base_language, script
from pipeline.names.glossary import Glossary, find_targets

#: Plausible target/source length ratios (characters) per language; outside them ``length`` warns.
#: For Arabic, FLORES-200 devtest references (1,012 sentences) run 0.53-1.46 (1st-99th percentile
#: 0.61-1.31), so 0.45-1.9 only catches far outliers: truncations and runaway generations.
LENGTH_RATIOS: dict[str, tuple[float, float]] = {"ar": (0.45, 1.9), "he": (0.45, 1.7)}
DEFAULT_RATIO = (0.4, 2.5)
#: Below this many source characters the ratio is too noisy to mean anything.
MIN_LENGTH = 30

# A number: digits in any of the three scripts, with thousands/decimal separators between digit groups
# (Western "," ".", Arabic "٬" "٫").
_NUMBER = re.compile(rf"[{DIGIT_CLASS}]+(?:[.,٫٬][{DIGIT_CLASS}]+)*")
_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:['’\-][A-Za-z\u00C0-\u024F]+)*")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_WORD = re.compile(r"\w+")
#: English number words a translation may write in digits ("nineteen of the injured" → "١٩ من المصابين").
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        (  # noqa: SIM905 - one readable line rather than 21
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen twenty"
        ).split()
    )
} | {"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "thousand": "1000", "million": "1000000"}
#: A comment line longer than this is wrapped by polib (78 columns less "#. "): keep each on one line.
MAX_NOTE = 75


@dataclass(frozen=True)
class Context:
    """What a check may know besides the two strings."""

    lang: str
    glossary: Glossary | None = None
    #: Numbers and dates protection already guarantees: (source text, published form) pairs.
    protected: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Finding:
    check: str
    detail: str

    def __str__(self) -> str:
        """The PO comment form, which ``status`` parses: ``qa: <check>: <detail>``."""
        return f"qa: {self.check}: {self.detail}"


def _listing(items: list[str], budget: int) -> str:
    """``a, b, c (+2 more)``: as many items as fit in ``budget`` characters, at least one."""
    shown: list[str] = []
    for item in items:
        if shown and len(", ".join([*shown, item])) > budget:
            break
        shown.append(item)
    rest = len(items) - len(shown)
    return ", ".join(shown) + (f" (+{rest} more)" if rest else "")


def normalize_number(text: str) -> str:
    """``"١٬٢٣٤٫٥"`` and ``"1,234.5"`` both become ``"1234.5"``; ``"2017"`` stays ``"2017"``.

    A trailing group of exactly three digits after a separator is a thousands group; any other
    separator is a decimal point. That reads English ``1,500`` and ``2.5`` and Arabic ``١٬٥٠٠``
    and ``٢٫٥`` the same way.
    """
    digits = ascii_digits(text)
    groups = re.split(r"[.,٫٬]", digits)
    seps = re.findall(r"[.,٫٬]", digits)
    out = groups[0]
    for sep, group in zip(seps, groups[1:], strict=True):
        if sep in ",٬" and len(group) == 3:
            out += group
        elif sep == "." and len(group) == 3 and "." in seps[1:]:
            out += group  # "1.234.567" (European thousands)
        else:
            out += "." + group
    return out


def numbers(text: str) -> Counter[str]:
    return Counter(normalize_number(m.group(0)) for m in _NUMBER.finditer(text))


def check_numbers(source: str, target: str, ctx: Context) -> str | None:
    """Every number in the source appears in the translation, in any digit script. Numbers and
    dates that were protected are left out on both sides: the guarantee already put each back once,
    so the check only fires on what the model was left to write (number words, times, unprotected kinds)."""
    expected, found = numbers(source), numbers(target)
    for written, published in ctx.protected:
        expected -= numbers(written)
        found -= numbers(published)
    missing = sorted((expected - found).elements())
    # A number the source spells out ("nineteen of the injured") may be written in digits.
    spelled = Counter(_NUMBER_WORDS[w] for w in _WORD.findall(source.casefold()) if w in _NUMBER_WORDS)
    extra = sorted((found - expected - spelled).elements())
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append("missing " + _listing(missing, 24))
    if extra:
        parts.append("not in source " + _listing(extra, 20))
    return "; ".join(parts)


def _mask_terms(text: str, ctx: Context, *, target: bool) -> str:
    """``text`` with glossary names blanked, so a name's own letters or digits never warn."""
    if ctx.glossary is None:
        return text
    spans = (
        [(s, e) for s, e, _ in find_targets(ctx.glossary, text, ctx.lang)]
        if target
        else [(m.start, m.end) for m in ctx.glossary.find(text)]
    )
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def check_untranslated(source: str, target: str, ctx: Context) -> str | None:
    """The translation is the source again (whitespace and case aside), though it has words to translate."""
    if " ".join(source.split()).casefold() != " ".join(target.split()).casefold():
        return None
    if not _LATIN_WORD.search(_URL.sub(" ", _mask_terms(source, ctx, target=False))):
        return None  # only names, numbers or punctuation: the same text is right
    return "the translation is identical to the English source"


def check_latin(source: str, target: str, ctx: Context) -> str | None:
    """Latin-script words left in a non-Latin translation, other than glossary names and URLs."""
    if script(ctx.lang) is None:  # Latin-script (or unknown) language: Latin words are expected
        return None
    words = _LATIN_WORD.findall(_URL.sub(" ", _mask_terms(target, ctx, target=True)))
    if not words:
        return None
    return f"{len(words)} Latin word(s): {_listing(list(dict.fromkeys(words)), 40)}"


def check_length(source: str, target: str, ctx: Context) -> str | None:
    """Translation length far from the usual ratio for the language: truncated or runaway output."""
    if len(source.strip()) < MIN_LENGTH or not target.strip():
        return None
    low, high = LENGTH_RATIOS.get(base_language(ctx.lang), DEFAULT_RATIO)
    ratio = len(target.strip()) / len(source.strip())
    if low <= ratio <= high:
        return None
    return f"{ratio:.2f}× the source length (usual for {ctx.lang}: {low}-{high})"


def longest_repeat(words: list[str], max_n: int = 4) -> tuple[int, int, str]:
    """The n-gram repeated most often back to back: ``(n, times, text)``; ``(0, 1, "")`` if none."""
    best = (0, 1, "")
    for n in range(1, max_n + 1):
        for start in range(len(words) - n):
            gram = words[start : start + n]
            times = 1
            while words[start + times * n : start + (times + 1) * n] == gram:
                times += 1
            # Weight by covered words so "a b a b" (2×2) outranks a lone doubled word.
            if times > 1 and times * n > best[0] * best[1]:
                best = (n, times, " ".join(gram))
    return best


def _repeat_is_suspect(n: int, times: int) -> bool:
    """A word three times running, or a phrase twice: natural text rarely does either."""
    return (n == 1 and times >= 3) or (n >= 2 and times >= 2)


def check_repetition(source: str, target: str, ctx: Context) -> str | None:
    """Words or phrases repeated back to back (a sign of model hallucination), unless the source does too."""
    words = [w.casefold() for w in _WORD.findall(target)]
    n, times, gram = longest_repeat(words)
    if not n or not _repeat_is_suspect(n, times):
        # Also a long phrase many times anywhere in the sentence: loops broken by one token.
        counts = Counter(tuple(words[i : i + 3]) for i in range(len(words) - 2))
        gram3, times3 = counts.most_common(1)[0] if counts else ((), 0)
        if times3 < 3:
            return None
        n, times, gram = 3, times3, " ".join(gram3)
    src_n, src_times, _ = longest_repeat([w.casefold() for w in _WORD.findall(source)])
    if src_n and _repeat_is_suspect(src_n, src_times):
        return None  # the author repeated on purpose ("very, very, very")
    return f"'{gram}' repeated {times} times"


def check_glossary(source: str, target: str, ctx: Context) -> str | None:
    """Each glossary name in the source appears in its fixed target form as often in the translation."""
    if ctx.glossary is None:
        return None
    # Terms hold a dict, so they are counted by identity: find() and find_targets() share the objects.
    terms = {id(m.term): m.term for m in ctx.glossary.find(source)}
    if not terms:
        return None
    expected = Counter(id(m.term) for m in ctx.glossary.find(source))
    found = Counter(id(term) for _, _, term in find_targets(ctx.glossary, target, ctx.lang))
    problems = []
    for key, count in expected.items():
        term = terms[key]
        if found[key] < count:
            form = term.target(ctx.lang) or term.en
            problems.append(f"{form} ({term.en})" + (f" {found[key]} of {count}" if count > 1 else ""))
    return "missing " + _listing(problems, 42) if problems else None


def check_tags(source: str, target: str, ctx: Context) -> str | None:
    """Inline tags (``<a1>…</a1>``, ``<br1/>``) missing, repeated, unknown or crossed in the
    translation: the page then drops the broken tag and keeps its text. Sees the tagged strings;
    every other check sees them without tags."""
    del ctx
    problems = tag_mismatch(source, target)
    return _listing(problems, 60) if problems else None


Check = Callable[[str, str, Context], str | None]

#: Every check by the name written into PO comments; order is the order of the comments.
CHECKS: dict[str, Check] = {
    "untranslated": check_untranslated,
    "numbers": check_numbers,
    "glossary": check_glossary,
    "latin": check_latin,
    "length": check_length,
    "repetition": check_repetition,
    "tags": check_tags,
}
#: Checks that see the tagged strings; the others see them with tags removed.
TAGGED_CHECKS = frozenset({"tags"})


@dataclass
class QAReport:
    """Counts per check over many translations (for the evaluation harness)."""

    checked: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, findings: Iterable[Finding]) -> None:
        self.checked += 1
        self.counts.update({f.check for f in findings})


def run_checks(
    source: str,
    target: str,
    lang: str,
    glossary: Glossary | None = None,
    only: Iterable[str] | None = None,
    protected: Iterable[tuple[str, str]] = (),
) -> list[Finding]:
    """Every check's warning for one translation; an empty target is not checked (nothing to review)."""
    if not target.strip():
        return []
    ctx = Context(lang, glossary, tuple(protected))
    names = list(only) if only is not None else list(CHECKS)
    findings = []
    plain = (plain_of(source), plain_of(target))
    for name in names:
        detail = CHECKS[name](*((source, target) if name in TAGGED_CHECKS else plain), ctx)
        if detail:
            room = MAX_NOTE - len(f"qa: {name}: ")
            findings.append(Finding(name, detail if len(detail) <= room else detail[: room - 1] + "…"))
    return findings


def qa_notes(
    source: str,
    target: str,
    lang: str,
    glossary: Glossary | None = None,
    protected: Iterable[tuple[str, str]] = (),
) -> list[str]:
    """The ``qa: <check>: <detail>`` comment lines for one machine translation; ``protected``: the
    (source, published form) of each protected number and date."""
    return [str(f) for f in run_checks(source, target, lang, glossary, protected=protected)]
