import pytest

from assessment.reading import CategoryText, Reader
from assessment.stone import (
    StoneCategoryFacts,
    candidates,
    find_stone,
    rank,
)

TENDERS = StoneCategoryFacts(
    "tenders", "Appels d’offres", 0.4, ("appel d’offres", "dossier")
)
MAIL = StoneCategoryFacts("mail", "E-mails", 0.5, ("mail", "question client"))
NOTES = StoneCategoryFacts("notes", "Comptes rendus", 0.6, ("compte rendu", "réunion"))
CATEGORIES = [TENDERS, MAIL, NOTES]
READER = Reader([CategoryText(c.slug, c.name, c.keywords) for c in CATEGORIES])


def read(text):
    return READER.read(text)


def test_stone_ranks_by_removable_hours():
    answers = {
        "stone.sinks": ["tenders", "mail"],
        "stone.tenders.hours": 10, "stone.tenders.people": 2,  # 20 h × 0.4 = 8 h
        "stone.mail.hours": 3, "stone.mail.people": 4,  # 12 h × 0.5 = 6 h
    }  # fmt: skip
    ranked = rank(candidates(answers, CATEGORIES))
    assert [c.slug for c in ranked] == ["tenders", "mail"]
    # 0.75 × 8/8 + 0.01 = 0.76 and 0.75 × 6/8 + 0.01 = 0.5725
    assert [c.score for c in ranked] == [0.76, 0.5725]


def test_the_owners_words_can_outweigh_a_small_difference_in_hours():
    answers = {
        "stone.sinks": ["tenders", "mail"],
        "stone.tenders.hours": 10, "stone.tenders.people": 2,  # 8 h removable
        "stone.mail.hours": 3, "stone.mail.people": 5,  # 7.5 h removable
        "stone.description": "Les mails et les questions client arrivent sans arrêt",
    }  # fmt: skip
    stone = find_stone(
        answers, CATEGORIES, hourly_cost=35, working_weeks=45,
        reading=read(answers["stone.description"]),
    )  # fmt: skip
    # tenders: 0.75 + 0.01 = 0.76; mail: 0.75 × 7.5/8 + 0.25 × 1 + 0.01 = 0.963
    assert stone.slug == "mail"
    assert any("«\u00a0mails\u00a0»" in reason for reason in stone.reasons)


def test_yearly_cost_is_hours_times_weeks_times_hourly_cost():
    answers = {
        "stone.sinks": ["notes"],
        "stone.notes.hours": 4,
        "stone.notes.people": 3,
    }
    stone = find_stone(answers, CATEGORIES, hourly_cost=40, working_weeks=45)
    assert stone.weekly_hours == 12
    assert stone.yearly_hours == 540
    assert stone.yearly_cost == 21_600  # 12 × 45 × 40
    assert stone.removable_yearly_cost == 12_960  # 60 % of it


def test_free_text_alone_names_a_stone_without_a_cost():
    answers = {"stone.description": "Nos dossiers d’appel d’offres nous prennent tout"}
    stone = find_stone(
        answers, CATEGORIES, hourly_cost=35, working_weeks=45,
        reading=read(answers["stone.description"]),
    )  # fmt: skip
    assert stone.slug == "tenders"
    assert stone.yearly_cost == 0


def test_no_time_sink_at_all_means_no_stone():
    assert find_stone({}, CATEGORIES, hourly_cost=35, working_weeks=45) is None


@pytest.mark.parametrize("people", [None, 0])
def test_hours_without_people_count_one_person(people):
    answers = {
        "stone.sinks": ["mail"],
        "stone.mail.hours": 5,
        "stone.mail.people": people,
    }
    stone = find_stone(answers, CATEGORIES, hourly_cost=35, working_weeks=45)
    assert stone.weekly_hours == 5


HOURS = {
    "stone.sinks": ["tenders", "mail"],
    "stone.tenders.hours": 2, "stone.tenders.people": 1,  # 0.8 h removable
    "stone.mail.hours": 3, "stone.mail.people": 1,  # 1.5 h removable
}  # fmt: skip


def test_a_stone_confirmed_from_the_owners_words_beats_a_few_more_hours():
    answers = {**HOURS, "stone.confirmed": "tenders"}
    stone = find_stone(answers, CATEGORIES, hourly_cost=35, working_weeks=45)
    assert stone.slug == "tenders"
    assert stone.named_slug == ""
    assert "Vous l’avez confirmée d’après vos propres mots." in stone.reasons


def test_hours_that_clearly_outweigh_the_named_stone_win_and_the_result_says_both():
    answers = {**HOURS, "stone.mail.people": 4, "stone.confirmed": "tenders"}  # 6 h
    stone = find_stone(answers, CATEGORIES, hourly_cost=35, working_weeks=45)
    assert stone.slug == "mail"
    assert (stone.named_slug, stone.named_name) == ("tenders", "Appels d’offres")
    assert (
        stone.reasons[0]
        == "Vous citez « Appels d’offres » ; vos heures pointent « E-mails »."
    )


def test_a_confirmed_stone_without_hours_is_still_a_candidate():
    answers = {
        "stone.sinks": ["mail"],
        "stone.mail.hours": 1,
        "stone.confirmed": "notes",
    }
    stone = find_stone(answers, CATEGORIES, hourly_cost=35, working_weeks=45)
    assert stone.slug == "notes"  # 0.5 h removable elsewhere: not clearly more
    assert stone.yearly_cost == 0
