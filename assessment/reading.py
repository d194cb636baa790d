"""Reading the owner's own words: which time sink they describe, and what worries them.

Pure: the catalogue's stone categories (name, description, lexicon and example
phrases, as editors keep them) come in; `Reader.read(text)` gives the
categories best first, each with a confidence and the words that led to it,
and the concerns that change the advice, each with the owner's words.

French words are brought to one form by simplemma's lemmas (plurals,
conjugations) with accents and case folded; words no dictionary knows (typos,
SMS spellings) are matched to the catalogue's own words by rapidfuzz; the
French stop words come from the stop-words package. A word counts for a
category as much as it is specific to it (fewer categories use it, more it
weighs), more when editors put it in the lexicon than when it only appears in
an example phrase. See benchmarks/bench_reading.py for the measured choice.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import simplemma
from rapidfuzz import fuzz, process
from stop_words import get_stop_words

# A lexicon entry counts fully; a word of an example phrase or of the
# category's name and description, half as much.
LEXICON_STRENGTH = 1.0
EXAMPLE_STRENGTH = 0.5
PHRASE_BONUS = 1.0  # a whole multi-word lexicon entry, on top of its words
FUZZY_CUTOFF = 80  # rapidfuzz ratio for a word no dictionary knows
FUZZY_MIN_LENGTH = 4
UNDERSTOOD = 0.6  # below this score, nothing is understood
SATURATION = 2.5  # the score at which confidence reaches about two thirds
EVIDENCE_LIMIT = 5

# The clauses that say which of two topics weighs most (« un peu les mails,
# mais surtout les plannings ») or that a topic is no trouble (« la compta ça va »).
EMPHASIS = r"\b(surtout|vrai (probleme|souci)|principalement|avant tout|le pire|plus que tout)\b"
DIMINISH = (
    r"\b(ca va|on gere|on s en sort|pas de (souci|probleme)|un peu|ca se passe bien)\b"
)
CLAUSE_SPLIT = r"[.;:!?,\n]+|\bmais\b"

# Common French SMS spellings and shortenings, read as the words they stand for.
SHORTHAND = {
    "tjrs": "toujours", "tjs": "toujours", "pr": "pour", "tps": "temps",
    "tt": "tout", "ts": "tous", "qd": "quand", "bcp": "beaucoup",
    "pb": "problème", "pbs": "problèmes", "rdv": "rendez-vous", "mel": "mail",
    "mél": "mail", "ordi": "ordinateur", "info": "information",
    "infos": "informations", "doc": "document", "docs": "documents",
    "compta": "comptabilité", "appli": "application", "applis": "applications",
    "réu": "réunion", "reu": "réunion", "tel": "téléphone", "tél": "téléphone",
    "msg": "message", "cmd": "commande", "dev": "développeur",
    "devs": "développeurs", "modif": "modification", "modifs": "modifications",
    "insta": "instagram", "com": "communication", "c": "c'est", "jsuis": "je suis",
    "chui": "je suis", "ya": "il y a", "pro": "professionnel",
}  # fmt: skip
ELISIONS = ("j", "l", "d", "c", "m", "t", "s", "n", "qu")


# --- Words --------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, no accents, œ as oe: « Réunions » → reunions."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


WORD = re.compile(r"[0-9a-zà-öø-ÿœæ]+")


def words(text: str) -> list[str]:
    """The words of a text, lower case, elisions and hyphens split, shorthand expanded."""
    found = []
    for word in WORD.findall(text.lower()):
        found.extend(WORD.findall(SHORTHAND.get(word, word)))
    return found


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    return fold(simplemma.lemmatize(word, lang="fr"))


@lru_cache(maxsize=50_000)
def known(word: str) -> bool:
    return simplemma.is_known(word, lang="fr")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    # Words that name a stone (« mot de passe », « pièce ») are no stop words here.
    keep = {"mot", "pièce", "personne", "personnes", "point", "chose", "choses"}
    return frozenset(fold(w) for w in get_stop_words("fr") if w not in keep)


# --- What the catalogue says --------------------------------------------------


@dataclass(frozen=True)
class CategoryText:
    """A stone category as the catalogue describes it, for reading."""

    slug: str
    name: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class CategoryReading:
    slug: str
    name: str
    confidence: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class ConcernReading:
    slug: str
    evidence: str  # the owner's sentence that reveals it


@dataclass(frozen=True)
class Reading:
    categories: tuple[CategoryReading, ...]  # best first; empty: nothing understood
    concerns: tuple[ConcernReading, ...]

    @property
    def best(self) -> CategoryReading | None:
        return self.categories[0] if self.categories else None


@dataclass(frozen=True)
class Token:
    key: str  # the folded lemma the catalogue's words are compared on
    surface: str  # as the owner wrote it
    weight: float  # the weight of its clause


class Reader:
    """What the catalogue's words say of each category, ready to read texts with."""

    def __init__(self, categories: list[CategoryText]):
        self.names = {c.slug: c.name for c in categories}
        self.order = [c.slug for c in categories]
        strengths: dict[str, dict[str, float]] = {}
        self.phrases: dict[tuple[str, ...], set[str]] = {}
        self.surfaces: dict[str, str] = {}  # folded spelling → key
        for category in categories:
            for entry in category.keywords:
                keys = self._learn(entry)
                # The words of a phrase (« réseaux sociaux ») say less than the phrase.
                strength = LEXICON_STRENGTH if len(keys) == 1 else EXAMPLE_STRENGTH
                self._credit(strengths, keys, category.slug, strength)
                if len(keys) > 1:
                    self.phrases.setdefault(tuple(keys), set()).add(category.slug)
            prose = [category.name, category.description, *category.examples]
            for text in prose:
                keys = self._learn(text)
                self._credit(strengths, keys, category.slug, EXAMPLE_STRENGTH)
        count = len(categories) or 1
        self.weights = {
            key: {
                slug: s * math.log(1 + count / len(by_slug))
                for slug, s in by_slug.items()
            }
            for key, by_slug in strengths.items()
        }
        self.vocabulary = sorted(self.surfaces)

    def _learn(self, text: str) -> list[str]:
        keys = []
        for word in words(text):
            key = lemma(word)
            self.surfaces.setdefault(fold(word), key)
            self.surfaces.setdefault(key, key)
            keys.append(key)
        return keys

    @staticmethod
    def _credit(strengths, keys, slug, strength):
        for key in keys:
            if key not in stop_words() and len(key) > 1:
                by_slug = strengths.setdefault(key, {})
                by_slug[slug] = max(by_slug.get(slug, 0.0), strength)

    # --- Reading a text ---------------------------------------------------------

    def key_of(self, word: str) -> str:
        """The catalogue key of a word, through its lemma or the closest spelling."""
        key = lemma(word)
        if key in self.weights or known(word):
            return key
        folded = fold(word)
        if folded in self.surfaces:
            return self.surfaces[folded]
        for prefix in ELISIONS:  # « jpasse », « lordi »: an elision without apostrophe
            rest = folded[len(prefix) :]
            if folded.startswith(prefix) and len(rest) > 2 and known(rest):
                return lemma(SHORTHAND.get(rest, rest))
        if len(folded) >= FUZZY_MIN_LENGTH:
            match = process.extractOne(
                folded, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if match and match[0][0] == folded[0]:
                return self.surfaces[match[0]]
        return key

    def tokens(self, text: str) -> list[Token]:
        found = []
        for clause in re.split(CLAUSE_SPLIT, text, flags=re.IGNORECASE):
            weight = clause_weight(clause)
            for word in words(clause):
                found.append(Token(self.key_of(word), word, weight))
        return found

    def scores(self, tokens: list[Token]) -> dict[str, dict[str, float]]:
        """For each category, what each of the owner's words adds to it."""
        found: dict[str, dict[str, float]] = {}
        seen: set[str] = set()
        for token in tokens:
            if token.key in seen or token.key in stop_words():
                continue
            seen.add(token.key)
            for slug, weight in self.weights.get(token.key, {}).items():
                found.setdefault(slug, {})[token.surface] = weight * token.weight
        self._add_phrases(tokens, found)
        return found

    def _add_phrases(self, tokens, found):
        keys = [t.key for t in tokens]
        for phrase, slugs in self.phrases.items():
            for start in range(len(keys) - len(phrase) + 1):
                if tuple(keys[start : start + len(phrase)]) == phrase:
                    surface = " ".join(t.surface for t in tokens[start:][: len(phrase)])
                    weight = tokens[start].weight
                    for slug in slugs:
                        found.setdefault(slug, {})[surface] = PHRASE_BONUS * weight
                    break

    def read(self, text: str) -> Reading:
        """The categories the text speaks of, best first, and the concerns it shows."""
        by_slug = self.scores(self.tokens(text))
        totals = {slug: sum(parts.values()) for slug, parts in by_slug.items()}
        grand = sum(totals.values())
        ranked = sorted(totals, key=lambda s: (-totals[s], self.order.index(s)))
        categories = []
        if ranked and totals[ranked[0]] >= UNDERSTOOD:
            for slug in ranked:
                confidence = confidence_of(totals[slug], grand)
                if confidence >= 0.05:
                    categories.append(
                        CategoryReading(
                            slug,
                            self.names[slug],
                            confidence,
                            tuple(as_written(text, e) for e in evidence(by_slug[slug])),
                        )
                    )
        return Reading(tuple(categories), tuple(concerns_in(text)))


def clause_weight(clause: str) -> float:
    folded = " ".join(WORD.findall(fold(clause)))
    if re.search(EMPHASIS, folded):
        return 1.6
    if re.search(DIMINISH, folded):
        return 0.4
    return 1.0


def confidence_of(score: float, grand: float) -> float:
    """Its share of all that was read, times how much was read for it (0 to 1)."""
    share = score / grand if grand else 0.0
    return round(share * (1 - math.exp(-score / SATURATION)), 2)


def evidence(parts: dict[str, float]) -> tuple[str, ...]:
    """The owner's words that counted most for a category, longest phrase first."""
    ranked = sorted(parts, key=lambda w: (-parts[w], -len(w)))
    chosen: list[str] = []
    for word in ranked:
        if not any(word in other for other in chosen):
            chosen.append(word)
    return tuple(chosen[:EVIDENCE_LIMIT])


def as_written(text: str, phrase: str) -> str:
    """A phrase of the owner's words as they wrote it (« appels d’offres »), when found."""
    between = r"[^0-9a-zà-öø-ÿœæ]+"
    pattern = between.join(re.escape(w) for w in phrase.split(" "))
    found = re.search(rf"(?<![0-9a-zà-öø-ÿœæ]){pattern}", text, flags=re.IGNORECASE)
    return found.group(0) if found else phrase


# --- Concerns -------------------------------------------------------------------

# The worries that change the advice, read sentence by sentence on folded words.
# Slugs are shared with the matching (assessment/matching.py).
AI_TOOL = (
    r"(chat ?gpt|gpt|copilot|chatbot|gemini|mistral|claude|perplexity|deepl"
    r"|\bias?\b|intelligence artificielle|(appli|application|outil)s? [a-z ]{0,30}gratuit)"
)
CONCERNS: dict[str, tuple[str, ...]] = {
    "attack": (
        r"\b(attaque|cyberattaque|pirat|ranco|rancongiciel|ransomware|hack|escroc|arnaque)",
        r"\b(chiffr|crypt)\w* (tous )?(nos |les )?(fichiers|donnees|serveurs?|postes?)",
        r"\bcliqu\w* sur (le|un) lien",
        r"\b(vol|vole|voler)\w* (son |un |notre |mon )?(ordinateur|portable|pc)",
    ),
    "cloud": (
        r"\b(cloud|nuage)\b.*\b(confiance|peur|question|ose|refus|jamais|mefi|craint|inquiet|risque)"
        r"|\b(confiance|peur|question|ose|refus|jamais|mefi|craint|inquiet|risque)\w*\b.*\b(cloud|nuage)\b",
        r"\b(heberg|stock)\w* .{0,40}\b(etranger|americain|hors de (france|l europe))",
    ),
    "data-leak": (
        r"\b(donnees|fichiers?|informations|infos|code|echanges|messages|documents)\b.{0,60}"
        r"\b(partent|partir|sortent|sortir|fuit|fuite|americain|etranger|hors de)",
        r"\b(confidentiel|fuite|espionn)",
        AI_TOOL + r".{0,40}\b(ce qu ils y mettent|mettent)"
        r"|\b(mett|coll|copi|pass)\w* .{0,40}\b(fichiers?|donnees|code|tableaux)\b.{0,40}"
        + AI_TOOL,
        r"\b(vol|vole|voler)\w* .{0,40}\bfichiers",
    ),
    "budget": (
        r"\b(budget|argent|tresorerie|fauche|trop cher|couteux)",
        r"\b(pas|peu|petits?|sans|manque) (les |de |d )?(moyens|sous|sou)\b",
        r"\bfinances .{0,20}(justes|serrees|limitees)",
    ),
    "shadow-ai": (
        r"\b(salarie|employe|stagiaire|commerciau|vendeu|developpeur|comptable|equipe"
        r"|collegue|collaborat|personnel)\w*\b.{0,80}" + AI_TOOL,
        AI_TOOL
        + r".{0,80}\b(sans (nous le dire|le dire|validation|autorisation|politique"
        r"|regle|rien demander|que (je|on|la direction)|qu on)|en douce|en cachette)",
    ),
}
SENTENCE_SPLIT = r"(?<=[.!?;])\s+|\n+"


def concerns_in(text: str) -> list[ConcernReading]:
    """The worries the text reveals, each with the first sentence that says it."""
    found: dict[str, str] = {}
    for sentence in re.split(SENTENCE_SPLIT, text):
        folded = " ".join(words(fold(sentence)))
        for slug, patterns in CONCERNS.items():
            if slug not in found and any(re.search(p, folded) for p in patterns):
                found[slug] = sentence.strip()
    return [ConcernReading(slug, found[slug]) for slug in CONCERNS if slug in found]
