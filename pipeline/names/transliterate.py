"""A small rule-based English-to-Arabic transliterator for names, written for this project (Apache-2.0).

``glossary suggest`` needs a first-draft Arabic form for a name the glossary lacks. A table of common
Arabic name parts (``Mohammed`` → محمد, ``Abu`` → أبو) gives the established spellings; letter rules
give the rest. It is a draft for an editor, never an authority: suggestions are marked unreviewed.
"""

from __future__ import annotations

import re


def _pairs(text: str) -> dict[str, str]:
    """``"en=ar ..."`` pairs; ``_`` in a form stands for a space."""
    return {en: ar.replace("_", " ") for en, ar in (pair.split("=") for pair in text.split())}


#: Whole name parts with an established Arabic spelling (lower case keys).
NAME_PARTS: dict[str, str] = _pairs(
    "abu=أبو abd=عبد abdul=عبد abdel=عبد bin=بن ibn=بن bint=بنت mohammed=محمد muhammad=محمد "
    "mohammad=محمد mohamed=محمد ahmed=أحمد ahmad=أحمد ali=علي hassan=حسن hasan=حسن hussein=حسين "
    "husayn=حسين hussain=حسين omar=عمر umar=عمر khalid=خالد khaled=خالد mustafa=مصطفى mahmoud=محمود "
    "ibrahim=إبراهيم youssef=يوسف yusuf=يوسف saleh=صالح salah=صلاح abdullah=عبد_الله "
    "abdallah=عبد_الله saeed=سعيد said=سعيد hamid=حامد karim=كريم nasser=ناصر jamal=جمال "
    "fatima=فاطمة aisha=عائشة layla=ليلى tariq=طارق ziad=زياد walid=وليد faisal=فيصل abbas=عباس "
    "qassem=قاسم qasem=قاسم kassem=قاسم haider=حيدر haidar=حيدر qasim=قاسم jafar=جعفر nouri=نوري "
    "mustapha=مصطفى osama=أسامة usama=أسامة hamza=حمزة bakr=بكر allah=الله sheikh=الشيخ mosque=مسجد "
    "university=جامعة "
)
_DIGRAPHS = {
    "sh": "ش", "kh": "خ", "gh": "غ", "th": "ث", "dh": "ذ", "ch": "تش", "ph": "ف", "ck": "ك",
    "ou": "و", "oo": "و", "ee": "ي", "ei": "ي", "ai": "ي", "ay": "اي", "aa": "ا", "ie": "ي", "ue": "و",
    "iy": "ي",
}  # fmt: skip
_LETTERS = {
    "b": "ب", "c": "ك", "d": "د", "f": "ف", "g": "غ", "h": "ه", "j": "ج", "k": "ك", "l": "ل", "m": "م",
    "n": "ن", "p": "ب", "q": "ق", "r": "ر", "s": "س", "t": "ت", "v": "ف", "w": "و", "x": "كس", "y": "ي",
    "z": "ز",
}  # fmt: skip
_VOWELS = frozenset("aeiou") | {"ou", "oo", "ee", "ei", "ai", "ay", "aa", "ie", "ue", "iy"}
_INITIAL_VOWELS = {"a": "أ", "e": "إ", "i": "إ", "o": "أو", "u": "أو"}
_MEDIAL_VOWELS = {"a": "ا", "e": "", "i": "ي", "o": "و", "u": "و"}
_FINAL_VOWELS = {"a": "ا", "e": "", "i": "ي", "o": "و", "u": "و", "y": "ي"}


def _units(word: str) -> list[str]:
    """Letters and digraphs (``sh``, ``ou``...), left to right."""
    units: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        # "ay" before a vowel or another y is a vowel then a consonant: Qa-yyarah, Ba-yan.
        glide = pair == "ay" and word[i + 2 : i + 3] in tuple("aeiouy")
        step = 2 if pair in _DIGRAPHS and not glide else 1
        units.append(word[i : i + step])
        i += step
    return units


def _transliterate_word(word: str) -> str:
    """Letter rules, with Arabic spelling's main habit: a short vowel is not written.

    English spellings do not mark vowel length, so ``a`` and ``u`` before two consonants (a closed
    syllable: *Baghdadi*, *Fallujah*) are taken as short and dropped; other vowels are written.
    """
    lower = re.sub(r"[^a-z]", "", word.lower())
    if lower in NAME_PARTS:
        return NAME_PARTS[lower]
    if not lower:
        return ""
    if lower.endswith("ah") and len(lower) > 3:  # Arabic -ah: taa marbuta
        return _transliterate_word(lower[:-2]) + "ة"
    units = _units(lower)
    return "".join(_letter(units, k) for k in range(len(units)))


def _letter(units: list[str], k: int) -> str:
    """The Arabic for ``units[k]``, which depends on where it stands and what follows it."""
    unit = units[k]
    if k == 0 and unit in _VOWELS:
        return "أ" + _DIGRAPHS[unit] if len(unit) == 2 else _INITIAL_VOWELS[unit]
    if len(unit) == 2:
        return _DIGRAPHS[unit]
    if k == len(units) - 1 and unit in _FINAL_VOWELS:
        return _FINAL_VOWELS[unit]
    following = units[k + 1 : k + 3]
    if unit in "au" and len(following) == 2 and not any(f in _VOWELS for f in following):
        return ""  # a short vowel in a closed syllable
    if unit in _MEDIAL_VOWELS:
        return _MEDIAL_VOWELS[unit]
    if k > 0 and unit == units[k - 1]:
        return ""  # a doubled consonant is written once
    return _consonant(unit, following[0] if following else "")


def _consonant(unit: str, following: str) -> str:
    """``c`` and ``g`` soften before e, i, y (*Cecil*, *George*); other letters have one form."""
    soft = following[:1] in tuple("eiy")
    if unit == "c" and soft:
        return "س"
    if unit == "g" and soft:
        return "ج"
    return _LETTERS.get(unit, "")


def transliterate(name: str) -> str:
    """A first-draft Arabic spelling of an English-written name (rule-based; review it).

    ``al-``/``el-`` prefixes become the attached article (``al-Kadhimi`` → الكاذيمي). Acronyms come
    back unchanged: whether to spell them out or translate them is the editor's call.
    """
    parts: list[str] = []
    article = ""
    for word in re.sub(r"(?<=\w)-(?=[A-Z])", " ", name).split():
        if len(word) > 1 and word.isupper():
            parts.append(word)
            continue
        prefix = re.match(r"(?i)^(?:al|el|ad|an|ar|as|at|az)[-‐‑]", word)
        if word.lower() in ("al", "el"):
            article = "ال"
        elif word.lower() in ("of", "for", "and", "the", "de"):
            continue
        elif prefix:
            parts.append("ال" + _transliterate_word(word[prefix.end() :]))
        else:
            parts.append(article + _transliterate_word(word))
            article = ""
    return " ".join(parts)
