"""Arabic spelling where a restored name meets the word before it.

Arabic writes the one-letter proclitics و ف ب ك ل (and, so, with, like, for/to) joined to the
next word, with no space: "والموصل", "بالرقة". The preposition لـ before the article الـ drops the
article's alif: لـ + الرقة is "للرقة", never "لالرقة"; and when the article is itself followed by
ل, the article's lam goes too: لـ + الله is "لله", لـ + اللاذقية is "للاذقية". A model that wrote
"لXNAME0" meant exactly that, so restoring the name must write it the Arabic way, and every check
that looks for a glossary form (counting, QA, ``glossary score``) must recognise the joined form.

A restored number or date ("25", "٢٥", "2%", "4 تشرين الثاني/نوفمبر 2017") is not an Arabic word, and
neither is a name kept in Latin letters: no letter can join it. Arabic still writes the proclitic
with it, not as a word of its own (a lone "و" is a misspelling), and a letter that joins forward
(every proclitic but و) takes a tatweel so it keeps its joined shape, as the Arabic press writes
figures: "بـ25", "لـ2017", "و25". The article the model wrote before such a form is its meaning ("the
25 victims": "الضحايا الـ25") and no glossary form carries one, so it is kept ("الـ3", "للـ3") where
before an Arabic name it is dropped (the name's form has its own).

Pure string functions; :mod:`pipeline.names.terms` and :mod:`pipeline.names.protection` use them.
"""

from __future__ import annotations

import unicodedata

#: The one-letter proclitics that are written joined to the next word.
PROCLITICS = "وفبكل"
ARTICLE = "ال"
#: The Arabic joining stroke: a joined letter's shape before a figure or a Latin word ("بـ25").
TATWEEL = "\u0640"
_BIDI_MARKS = "\u200e\u200f\u061c"


def is_arabic_word(form: str) -> bool:
    """Does ``form`` start with an Arabic letter (bidi marks aside)? A number, a date that starts with
    its day, a name kept in Latin letters does not; a month-first date ("تشرين الثاني 2017") does."""
    first = form.lstrip(_BIDI_MARKS)[:1]
    return first.isalpha() and unicodedata.bidirectional(first) == "AL"


def attach(proclitics: str, form: str, article: bool = False) -> str:
    """``form`` written after the joined ``proclitics`` ("و", "ل", "ول"...), as Arabic spells it.

    ``article``: the model wrote the article between them ("الXNAME0", "للXNAME0"): dropped before an
    Arabic word (its form has its own), kept before a figure (see the module docstring).
    """
    if not is_arabic_word(form):
        if article:
            proclitics += "ل" if proclitics.endswith("ل") else ARTICLE  # لـ + الـ is "للـ"
        joins = bool(proclitics) and not proclitics.endswith("و")
        return proclitics + (TATWEEL if joins else "") + form
    if proclitics.endswith("ل"):
        stem = contracted_stem(form)
        if stem is not None:
            return proclitics + stem
    return proclitics + form


def contracted_stem(form: str) -> str | None:
    """What follows a joined لـ when ``form`` starts with the article: "الرقة" → "لرقة" (so that
    ل + "لرقة" is "للرقة"), "الله" → "له" (ل + "له" is "لله"); ``None`` for a form without it."""
    if not form.startswith(ARTICLE) or len(form) <= len(ARTICLE):
        return None
    return form[2:] if form[2] == "ل" else form[1:]
