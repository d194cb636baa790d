"""The questionnaire as plain data: loading seeds, reading answers, conditions.

`spec_for(questionnaire)` turns a stored version into frozen dataclasses that the
pure scoring, stone and matching modules read without touching the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog import formatting

from .models import Choice, Question, Questionnaire, Section

Kind = Question.Kind
SEED_FILE = Path(settings.BASE_DIR) / "seeds" / "questionnaire.json"


@dataclass(frozen=True)
class ChoiceSpec:
    code: str
    label: str
    points: int = 0
    stone_category: str = ""
    exclusive: bool = False


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    kind: str
    label: str
    section: str
    required: bool = True
    help_text: str = ""
    dimension: str = ""
    weight: float = 1.0
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    unit: str = ""
    max_length: int | None = None
    max_choices: int | None = None
    condition: dict | None = None
    stone_category: str = ""
    measure: str = ""
    choices: tuple[ChoiceSpec, ...] = ()

    def choice(self, code: str) -> ChoiceSpec | None:
        return next((c for c in self.choices if c.code == code), None)

    @property
    def has_choices(self) -> bool:
        return self.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE)


@dataclass(frozen=True)
class SectionSpec:
    code: str
    title: str
    intro: str
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class QuestionnaireSpec:
    version: int
    title: str
    sections: tuple[SectionSpec, ...]
    by_code: dict[str, QuestionSpec] = field(default_factory=dict, compare=False)

    def __post_init__(self):
        for section in self.sections:
            for question in section.questions:
                self.by_code[question.code] = question

    def section(self, code: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.code == code), None)


class AnswerError(ValueError):
    """An answer that cannot be accepted; the message is shown to the user."""


# --- Conditions -------------------------------------------------------------


def is_visible(question: QuestionSpec, answers: dict) -> bool:
    """A conditional question is shown only when its condition holds."""
    condition = question.condition
    if not condition:
        return True
    value = answers.get(condition["question"])
    if value is None:
        return False
    if "includes" in condition:
        return isinstance(value, list) and condition["includes"] in value
    if "in" in condition:
        return value in condition["in"]
    return False


def visible_questions(
    spec: QuestionnaireSpec, answers: dict, section: str | None = None
):
    for sec in spec.sections:
        if section is None or sec.code == section:
            yield from (q for q in sec.questions if is_visible(q, answers))


def missing_required(spec: QuestionnaireSpec, answers: dict, section=None) -> list[str]:
    """Codes of the visible required questions that have no answer."""
    return [
        q.code
        for q in visible_questions(spec, answers, section)
        if q.required and answers.get(q.code) in (None, "", [])
    ]


# --- Reading one answer -----------------------------------------------------


def clean_answer(question: QuestionSpec, raw):
    """Return the stored form of `raw` for `question`, or raise AnswerError.

    Accepts what a form or a JSON client sends: strings for numbers and choices,
    a list (or a single string) for multiple choices. None or "" means "no answer".
    """
    if raw is None or raw == "" or raw == []:
        return None
    for text in raw if isinstance(raw, list) else [raw]:
        if isinstance(text, str) and _unstorable(text):
            raise AnswerError(_("Ce texte contient des caractères invalides."))
    cleaner = {
        Kind.SINGLE: _clean_single,
        Kind.SCALE: _clean_single,
        Kind.MULTIPLE: _clean_multiple,
        Kind.NUMBER: _clean_number,
        Kind.SHORT_TEXT: _clean_text,
        Kind.LONG_TEXT: _clean_text,
    }[question.kind]
    return cleaner(question, raw)


def _unstorable(text: str) -> bool:
    """NUL and lone surrogates: no keyboard types them, no database stores them."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def _clean_single(question, raw):
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise AnswerError(_("Choisissez une seule réponse dans la liste."))
    code = str(raw)
    if question.choice(code) is None:
        raise AnswerError(
            _("« %(code)s » ne fait pas partie des réponses possibles.")
            % {"code": code}
        )
    return code


def _clean_multiple(question, raw):
    codes = [raw] if isinstance(raw, str) else raw
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise AnswerError(_("Envoyez une liste de codes de réponse."))
    unknown = [c for c in codes if question.choice(c) is None]
    if unknown:
        raise AnswerError(
            _("« %(code)s » ne fait pas partie des réponses possibles.")
            % {"code": unknown[0]}
        )
    codes = list(dict.fromkeys(codes))
    if question.max_choices and len(codes) > question.max_choices:
        raise AnswerError(
            _("Choisissez au plus %(n)d réponses.") % {"n": question.max_choices}
        )
    exclusive = [c for c in codes if question.choice(c).exclusive]
    if exclusive and len(codes) > 1:
        label = question.choice(exclusive[0]).label
        raise AnswerError(
            _("« %(label)s » ne peut pas être coché avec d’autres réponses.")
            % {"label": label}
        )
    return codes


def _clean_number(question, raw):
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise AnswerError(_("Saisissez un nombre."))
    try:
        number = Decimal(str(raw).strip().replace(",", ".").replace("\u00a0", ""))
    except InvalidOperation:
        raise AnswerError(_("Saisissez un nombre, par exemple 12 ou 7,5.")) from None
    if not number.is_finite():
        raise AnswerError(_("Saisissez un nombre, par exemple 12 ou 7,5."))
    low, high = question.min_value, question.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise AnswerError(
            _("Saisissez un nombre entre %(low)s et %(high)s.")
            % {"low": _plain(low), "high": _plain(high)}
        )
    return float(number) if number != number.to_integral_value() else int(number)


def _clean_text(question, raw):
    if not isinstance(raw, str):
        raise AnswerError(_("Saisissez un texte."))
    text = raw.strip()
    limit = question.max_length or (200 if question.kind == Kind.SHORT_TEXT else 2000)
    if len(text) > limit:
        raise AnswerError(
            _("Ce texte est trop long : %(limit)d caractères au plus (il en a %(n)d).")
            % {"limit": limit, "n": len(text)}
        )
    return text or None


def _plain(number: Decimal | None) -> str:
    return "—" if number is None else formatting.number(number, 2)


# --- Stored questionnaires ----------------------------------------------------


# The languages the questionnaire's texts are written in, French first; a text
# missing in English falls back to the French one.
TEXT_LANGUAGES = ("fr", "en")


def _text(row, name: str, language: str) -> str:
    """A row's text `name` in `language`: its `<name>_en` column, or the French."""
    if language == "fr":
        return getattr(row, name)
    return getattr(row, f"{name}_{language}") or getattr(row, name)


@lru_cache(maxsize=16)
def _spec_for_version(
    version: int, fingerprint: str, texts: str = "", language: str = "fr"
) -> QuestionnaireSpec:
    questionnaire = Questionnaire.objects.get(version=version)
    questions = (
        Question.objects.filter(questionnaire=questionnaire)
        .select_related("section")
        .prefetch_related("choices")
    )
    by_section: dict[int, list[QuestionSpec]] = {}
    for q in questions:
        by_section.setdefault(q.section_id, []).append(_question_spec(q, language))
    sections = tuple(
        SectionSpec(
            s.code,
            _text(s, "title", language),
            _text(s, "intro", language),
            tuple(by_section.get(s.id, [])),
        )
        for s in questionnaire.sections.order_by("position")
    )
    title = _text(questionnaire, "title", language)
    return QuestionnaireSpec(questionnaire.version, title, sections)


def spec_for(questionnaire: Questionnaire) -> QuestionnaireSpec:
    """The frozen spec of a stored version in the active language.

    Cached: the content of a published version never changes, only its
    English text may be added to, which changes its text fingerprint.
    """
    language = (get_language() or "fr")[:2]
    language = language if language in TEXT_LANGUAGES else "fr"
    return _spec_for_version(
        questionnaire.version,
        questionnaire.fingerprint,
        questionnaire.text_fingerprint,
        language,
    )


def spec_from_data(data: dict, translate=str) -> QuestionnaireSpec:
    """The frozen spec of seed data read as is, without the database.

    For surveys that score nothing and keep no version history, like the
    employee pulse. `translate` turns each French text into the active
    language (`gettext`: the translations live in the .po files).
    """

    def question(q: dict, section: str) -> QuestionSpec:
        texts = {k: translate(q[k]) for k in ("label", "help_text") if q.get(k)}
        choices = tuple(
            ChoiceSpec(**{**c, "label": translate(c["label"])})
            for c in q.get("choices", ())
        )
        return QuestionSpec(**{**q, **texts, "section": section, "choices": choices})

    sections = tuple(
        SectionSpec(
            s["code"],
            translate(s["title"]),
            s.get("intro", ""),
            tuple(question(q, s["code"]) for q in s["questions"]),
        )
        for s in data["sections"]
    )
    return QuestionnaireSpec(data["version"], translate(data["title"]), sections)


def _question_spec(q: Question, language: str) -> QuestionSpec:
    return QuestionSpec(
        code=q.code,
        kind=q.kind,
        label=_text(q, "label", language),
        section=q.section.code,
        required=q.required,
        help_text=_text(q, "help_text", language),
        dimension=q.dimension,
        weight=float(q.weight),
        min_value=q.min_value,
        max_value=q.max_value,
        unit=_text(q, "unit", language),
        max_length=q.max_length,
        max_choices=q.max_choices,
        condition=q.condition,
        stone_category=q.stone_category,
        measure=q.measure,
        choices=tuple(
            ChoiceSpec(
                c.code,
                _text(c, "label", language),
                c.points,
                c.stone_category,
                c.exclusive,
            )
            for c in sorted(q.choices.all(), key=lambda c: c.position)
        ),
    )


def fingerprint(data: dict) -> str:
    """The hash of what a version asks and scores: its English text is left out,
    so that a published version can be translated without a new number."""
    return text_fingerprint(_without_english(data))


def text_fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _without_english(data):
    if isinstance(data, dict):
        return {
            k: _without_english(v) for k, v in data.items() if not k.endswith("_en")
        }
    if isinstance(data, list):
        return [_without_english(v) for v in data]
    return data


class SeedError(ValueError):
    pass


@transaction.atomic
def load_questionnaire(data: dict) -> tuple[Questionnaire, bool]:
    """Store a questionnaire version from seed data; return it and whether it is new.

    Loading the same content again does nothing; different content under a
    published version number is refused, since answers refer to it.
    """
    version, digest = data["version"], fingerprint(data)
    existing = Questionnaire.objects.filter(version=version).first()
    if existing:
        if existing.fingerprint != digest:
            raise SeedError(
                f"questionnaire version {version} is already published with other "
                "content: give the new content a new version number"
            )
        _store_english(existing, data)
        return existing, False
    questionnaire = Questionnaire.objects.create(
        version=version,
        title=data["title"],
        title_en=data.get("title_en", ""),
        fingerprint=digest,
        text_fingerprint=text_fingerprint(data),
    )
    for s_pos, section_data in enumerate(data["sections"]):
        section = Section.objects.create(
            questionnaire=questionnaire,
            code=section_data["code"],
            title=section_data["title"],
            title_en=section_data.get("title_en", ""),
            intro=section_data.get("intro", ""),
            intro_en=section_data.get("intro_en", ""),
            position=s_pos,
        )
        for q_pos, question_data in enumerate(section_data["questions"]):
            _create_question(questionnaire, section, q_pos, question_data)
    _check_conditions(questionnaire)
    return questionnaire, True


QUESTION_FIELDS = (
    "kind", "label", "label_en", "help_text", "help_text_en", "required", "dimension",
    "weight", "min_value", "max_value", "unit", "unit_en", "max_length", "max_choices",
    "condition", "stone_category", "measure",
)  # fmt: skip
ENGLISH_FIELDS = {
    Questionnaire: ("title_en",),
    Section: ("title_en", "intro_en"),
    Question: ("label_en", "help_text_en", "unit_en"),
    Choice: ("label_en",),
}


def _store_english(questionnaire: Questionnaire, data: dict) -> None:
    """Write the seed's English text into a version already loaded, if it changed."""
    if questionnaire.text_fingerprint == text_fingerprint(data):
        return
    rows = [(questionnaire, data)]
    sections = {s.code: s for s in questionnaire.sections.all()}
    questions = {q.code: q for q in questionnaire.questions.prefetch_related("choices")}
    for section_data in data["sections"]:
        rows.append((sections[section_data["code"]], section_data))
        for question_data in section_data["questions"]:
            question = questions[question_data["code"]]
            rows.append((question, question_data))
            choices = {c.code: c for c in question.choices.all()}
            rows += [(choices[c["code"]], c) for c in question_data.get("choices", [])]
    for row, row_data in rows:
        fields = ENGLISH_FIELDS[type(row)]
        new = {name: row_data.get(name, "") for name in fields}
        if any(getattr(row, name) != value for name, value in new.items()):
            for name, value in new.items():
                setattr(row, name, value)
            row.save(update_fields=list(fields))
    questionnaire.text_fingerprint = text_fingerprint(data)
    questionnaire.save(update_fields=["text_fingerprint"])


def _create_question(questionnaire, section, position, data):
    unknown = set(data) - set(QUESTION_FIELDS) - {"code", "choices"}
    if unknown:
        raise SeedError(
            f"question {data.get('code')}: unknown fields {sorted(unknown)}"
        )
    fields = {name: data[name] for name in QUESTION_FIELDS if name in data}
    question = Question(
        questionnaire=questionnaire, section=section, code=data["code"],
        position=position, **fields,
    )  # fmt: skip
    question.full_clean(exclude=["questionnaire", "section"])
    question.save()
    Choice.objects.bulk_create(
        Choice(question=question, position=c_pos, **choice)
        for c_pos, choice in enumerate(data.get("choices", []))
    )
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE) and not data.get(
        "choices"
    ):
        raise SeedError(
            f"question {question.code}: a {question.kind} question needs choices"
        )


def _check_conditions(questionnaire):
    codes = set(questionnaire.questions.values_list("code", flat=True))
    for code, condition in questionnaire.questions.exclude(condition=None).values_list(
        "code", "condition"
    ):
        if condition.get("question") not in codes:
            raise SeedError(f"question {code}: its condition names an unknown question")


def load_seed_file(path: Path = SEED_FILE) -> tuple[Questionnaire, bool]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SeedError(f"{path.name}: {exc}") from exc
    return load_questionnaire(data)
