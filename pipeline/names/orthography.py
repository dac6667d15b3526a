"""Arabic spelling where a restored name meets the word before it.

Arabic writes the one-letter proclitics و ف ب ك ل (and, so, with, like, for/to) joined to the
next word, with no space: "والموصل", "بالرقة". The preposition لـ before the article الـ drops the
article's alif: لـ + الرقة is "للرقة", never "لالرقة"; and when the article is itself followed by
ل, the article's lam goes too: لـ + الله is "لله", لـ + اللاذقية is "للاذقية". A model that wrote
"لXNAME0" meant exactly that, so restoring the name must write it the Arabic way, and every check
that looks for a glossary form (counting, QA, ``glossary score``) must recognise the joined form.

Pure string functions; :mod:`pipeline.names.terms` and :mod:`pipeline.names.protection` use them.
"""

from __future__ import annotations

#: The one-letter proclitics that are written joined to the next word.
PROCLITICS = "وفبكل"
ARTICLE = "ال"


def attach(proclitics: str, form: str) -> str:
    """``form`` written after the joined ``proclitics`` ("و", "ل", "ول"...), as Arabic spells it."""
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
