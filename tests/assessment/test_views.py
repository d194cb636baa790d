"""The diagnostic web pages, through HTTP: profile, steps, resume link, result."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessment.answering import stored_answers
from assessment.models import Assessment

from .personas import ACCOUNTING_FIRM

# The owner confirms what was read of their words, as the stone step asks.
ANSWERS = {**ACCOUNTING_FIRM["answers"], "stone.confirmed": "appels-offres"}
NBSP, NNBSP = "\u00a0", "\u202f"


def plain(response) -> str:
    """The page as text with ordinary spaces, for readable assertions."""
    return response.content.decode().replace(NBSP, " ").replace(NNBSP, " ")


def profile_data(**overrides):
    data = {
        "company_name": "Cabinet Durand",
        "siren": "732 829 320",
        "sector": "finance",
        "size_band": "small",
        "department": "31",
        "revenue_band": "",
        "respondent_name": "Claire Durand",
        "respondent_email": "claire@example.fr",
        "respondent_role": "Gérante",
        "consent": "on",
    }
    return {**data, **overrides}


def section_answers(real_spec, section):
    codes = {q.code for q in real_spec.section(section).questions}
    return {code: value for code, value in ANSWERS.items() if code in codes}


def post_step(client, assessment, section, answers, *, shown=None, **extra):
    """Post a step as the browser does: every displayed question is named."""
    data = {"shown": list(shown if shown is not None else answers), **extra}
    for code, value in answers.items():
        data[code] = [str(v) for v in value] if isinstance(value, list) else str(value)
    url = reverse("assessment:step", args=[assessment.pk, section])
    return client.post(url, data, **_lang(extra))


def _lang(extra):
    return (
        {"HTTP_ACCEPT_LANGUAGE": extra.pop("language")} if "language" in extra else {}
    )


@pytest.fixture
def owned(client, make_assessment):
    """A diagnostic this test client's session may open."""

    def make(**kwargs):
        assessment, token = make_assessment(**kwargs)
        client.get(reverse("assessment:resume", args=[token]))
        return assessment

    return make


@pytest.fixture
def finished(owned):
    return owned(answers=ANSWERS, submitted=True)


# --- The profile step and the private link ------------------------------------------


def test_profile_step_creates_the_diagnostic_and_shows_the_link_once(
    client, questionnaire
):
    response = client.post(reverse("assessment:start"), profile_data())
    assessment = Assessment.objects.get()
    assert response.url == reverse("assessment:link", args=[assessment.pk])
    assert assessment.siren == "732829320"
    assert assessment.consent_version

    page = client.get(response.url).content.decode()
    token = re.search(r"/diagnostic/reprendre/([\w-]+)/", page).group(1)
    assert Assessment.objects.with_token(token).get() == assessment
    assert "Il ne sera plus affiché" in page

    again = client.get(response.url).content.decode()
    assert token not in again
    assert "déjà été affiché" in again


def test_a_bad_siren_is_refused_next_to_its_field(client, questionnaire):
    response = client.post(reverse("assessment:start"), profile_data(siren="732829321"))
    page = plain(response)
    assert response.status_code == 200
    assert "Ce SIREN n’est pas valide : vérifiez les 9 chiffres." in page
    assert 'id="id_siren_error"' in page
    assert 'aria-describedby="id_siren_helptext id_siren_error"' in page
    assert 'value="732829321"' in page
    assert not Assessment.objects.exists()


def test_consent_is_required(client, questionnaire):
    data = profile_data()
    del data["consent"]
    response = client.post(reverse("assessment:start"), data)
    assert 'id="id_consent_error"' in response.content.decode()
    assert "error-summary" in response.content.decode()
    assert not Assessment.objects.exists()


def test_departments_cover_all_of_france_grouped_by_region(client, questionnaire):
    page = client.get(reverse("assessment:start")).content.decode()
    assert '<optgroup label="Occitanie">' in page
    assert page.count("<option value=") > 101


def test_resume_link_works_in_a_fresh_client(client, make_assessment):
    assessment, token = make_assessment(answers={"company.activity": "Conseil"})
    response = client.get(reverse("assessment:resume", args=[token]))
    assert response.url == reverse("assessment:step", args=[assessment.pk, "company"])
    page = client.get(response.url).content.decode()
    assert 'value="Conseil"' in page


def test_a_wrong_token_gives_a_friendly_404(client, questionnaire):
    response = client.get(reverse("assessment:resume", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "Ce lien ne mène à aucun diagnostic" in response.content.decode()


def test_another_session_cannot_open_the_diagnostic(client, make_assessment):
    assessment, _token = make_assessment(answers=ANSWERS, submitted=True)
    for name, args in [
        ("step", [assessment.pk, "company"]),
        ("profile", [assessment.pk]),
        ("result", [assessment.pk]),
        ("link", [assessment.pk]),
        ("retake", [assessment.pk]),
    ]:
        assert client.get(reverse(f"assessment:{name}", args=args)).status_code == 404
    cost = client.post(reverse("assessment:hourly_cost", args=[assessment.pk]), {})
    assert cost.status_code == 404


def test_the_link_can_be_emailed(client, questionnaire):
    client.post(reverse("assessment:start"), profile_data())
    assessment = Assessment.objects.get()
    page = client.get(reverse("assessment:link", args=[assessment.pk])).content.decode()
    token = re.search(r'name="token" value="([\w-]+)"', page).group(1)
    response = client.post(
        reverse("assessment:email_link", args=[assessment.pk]),
        {"email": "boss@example.fr", "token": token},
    )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["boss@example.fr"]
    assert f"/diagnostic/reprendre/{token}/" in mail.outbox[0].body


def test_an_invalid_email_address_is_an_error_not_a_mail(client, questionnaire):
    client.post(reverse("assessment:start"), profile_data())
    assessment = Assessment.objects.get()
    page = client.get(reverse("assessment:link", args=[assessment.pk])).content.decode()
    token = re.search(r'name="token" value="([\w-]+)"', page).group(1)
    url = reverse("assessment:email_link", args=[assessment.pk])
    response = client.post(url, {"email": "nope", "token": token})
    assert 'id="id_email_error"' in response.content.decode()
    forged = client.post(url, {"email": "a@example.fr", "token": "forged"})
    assert forged.status_code == 302
    assert not mail.outbox


def test_a_new_link_replaces_the_lost_one(client, owned):
    assessment = owned()
    old_hash = assessment.token_hash
    response = client.post(reverse("assessment:new_link", args=[assessment.pk]))
    page = client.get(response.url).content.decode()
    assert "/diagnostic/reprendre/" in page
    assessment.refresh_from_db()
    assert assessment.token_hash != old_hash


# --- Steps: saving, going back and forth ---------------------------------------------


def test_each_step_saves_and_leads_to_the_next(client, owned, real_spec):
    assessment = owned()
    codes = [section.code for section in real_spec.sections]
    for index, section in enumerate(codes[:-1]):
        response = post_step(
            client, assessment, section, section_answers(real_spec, section)
        )
        assert response.status_code == 302, plain(response)[:2000]
        assert response.url == reverse(
            "assessment:step", args=[assessment.pk, codes[index + 1]]
        )
    response = post_step(
        client, assessment, "ambition", section_answers(real_spec, "ambition")
    )
    assert response.url == reverse("assessment:result", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.is_submitted()
    assert stored_answers(assessment)["stone.appels-offres.hours"] == 12


def test_previous_saves_what_is_valid_without_requiring_the_rest(client, owned):
    assessment = owned()
    response = post_step(
        client, assessment, "company",
        {"company.activity": "Conseil", "company.customers": "martians"},
        shown=["company.activity", "company.customers", "company.tools"],
        previous="1",
    )  # fmt: skip
    assert response.url == reverse("assessment:profile", args=[assessment.pk])
    assert stored_answers(assessment) == {"company.activity": "Conseil"}


def test_going_back_and_forth_keeps_every_answer(client, owned, real_spec):
    assessment = owned()
    post_step(client, assessment, "company", section_answers(real_spec, "company"))
    post_step(client, assessment, "stone", {}, shown=[], previous="1")
    page = client.get(reverse("assessment:step", args=[assessment.pk, "company"]))
    html = page.content.decode()
    assert 'value="Cabinet d’expertise comptable pour les PME"' in html
    assert re.search(r'value="businesses"\s+checked', html)
    assert re.search(r'value="office"\s+checked', html)


def test_the_step_list_saves_before_jumping(client, owned):
    assessment = owned()
    response = post_step(
        client, assessment, "company", {"company.activity": "Conseil"}, goto="cyber"
    )
    assert response.url == reverse("assessment:step", args=[assessment.pk, "cyber"])
    assert stored_answers(assessment) == {"company.activity": "Conseil"}


def test_the_profile_can_be_corrected_later(client, owned):
    assessment = owned()
    url = reverse("assessment:profile", args=[assessment.pk])
    assert "consent" not in client.get(url).content.decode()
    data = profile_data(company_name="Durand & fils")
    del data["consent"]
    response = client.post(url, data)
    assert response.url == reverse("assessment:step", args=[assessment.pk, "company"])
    assessment.refresh_from_db()
    assert assessment.company_name == "Durand & fils"


BAD_ANSWERS = [
    # (kind, section, the bad answers, the shown question, French, English)
    ("single", "company", {"company.customers": "martians"}, "company.customers",
     "« martians » ne fait pas partie des réponses possibles.",
     "“martians” is not one of the possible answers."),
    ("multiple", "company", {"company.tools": ["email", "fax"]}, "company.tools",
     "« fax » ne fait pas partie des réponses possibles.",
     "“fax” is not one of the possible answers."),
    ("multiple", "company", {"company.tools": ["email", "none"]}, "company.tools",
     "« Aucun de ces outils » ne peut pas être coché avec d’autres réponses.",
     "“None of these tools” cannot be ticked with other answers."),
    ("scale", "uses", {"uses.owner-frequency": "7"}, "uses.owner-frequency",
     "« 7 » ne fait pas partie des réponses possibles.",
     "“7” is not one of the possible answers."),
    ("number", "stone", {"stone.appels-offres.hours": "beaucoup"},
     "stone.appels-offres.hours",
     "Saisissez un nombre, par exemple 12 ou 7,5.",
     "Enter a number, for example 12 or 7.5."),
    ("number", "stone", {"stone.appels-offres.hours": "75"}, "stone.appels-offres.hours",
     "Saisissez un nombre entre 0 et 60.", "Enter a number between 0 and 60."),
    ("implausible", "stone", {"stone.appels-offres.people": "4000"},
     "stone.appels-offres.people",
     "Votre entreprise compte au plus 49 salariés : indiquez au plus 49 personnes.",
     "Your company has at most 49 employees: enter at most 49 people."),
    ("implausible", "stone", {"stone.appels-offres.hours": "50"},
     "stone.appels-offres.hours",
     "Une semaine de travail compte au plus 48 heures par personne : indiquez le "
     "temps qu’y passe chaque personne concernée.",
     "A working week holds at most 48 hours per person: enter the time each person "
     "concerned spends on it."),
    ("short_text", "company", {"company.activity": "x" * 201}, "company.activity",
     "Ce texte est trop long : 200 caractères au plus (il en a 201).",
     "This text is too long: 200 characters at most (it has 201)."),
    ("missing", "company", {"company.customers": ""}, "company.customers",
     "Cette question est obligatoire.", "This question is required."),
]  # fmt: skip


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "kind,section,bad,code,french,english",
    BAD_ANSWERS,
    ids=[f"{row[0]}-{i}" for i, row in enumerate(BAD_ANSWERS)],
)
def test_a_bad_answer_is_shown_next_to_its_field_and_nothing_is_lost(
    client, owned, real_spec, language, kind, section, bad, code, french, english
):
    saved = {"company.activity": "Conseil", "stone.sinks": ["appels-offres"]}
    assessment = owned(answers=saved)
    answers = {**section_answers(real_spec, section), **bad}
    if section == "stone":
        answers = {"stone.sinks": ["appels-offres"], **bad}
    response = post_step(client, assessment, section, answers, language=language)

    page = plain(response)
    message = french if language == "fr" else english
    field_id = "q-" + code.replace(".", "-")
    assert response.status_code == 200
    assert f'<small class="error" id="{field_id}-error">{message}</small>' in page
    assert re.search(rf'aria-describedby="[^"]*{field_id}-error', page)
    assert f'href="#{field_id}"' in page  # the summary at the top links to it
    assert stored_answers(assessment) == saved
    if kind in ("number", "short_text"):  # what was typed is typed again
        assert f'value="{bad[code]}"' in page or f">{bad[code]}<" in page


def test_a_step_with_one_bad_answer_saves_none_of_the_good_ones(client, owned):
    assessment = owned()
    post_step(
        client, assessment, "company",
        {"company.activity": "Conseil", "company.customers": "martians"},
    )  # fmt: skip
    assert stored_answers(assessment) == {}


def test_conditional_questions_appear_without_javascript(client, owned):
    assessment = owned()
    response = post_step(
        client, assessment, "stone",
        {"stone.sinks": ["appels-offres"], "stone.description": "Les dossiers"},
    )  # fmt: skip
    page = plain(response)
    assert response.status_code == 200
    assert 'name="stone.appels-offres.hours"' in page
    assert 'name="stone.emails-questions-clients.hours"' not in page
    assert "Vos réponses appellent d’autres questions" in page
    assert "Cette question est obligatoire" not in page  # new, not wrong
    assert stored_answers(assessment)["stone.sinks"] == ["appels-offres"]


def test_conditional_questions_appear_as_the_answer_changes(client, owned):
    assessment = owned()
    url = reverse("assessment:step_fields", args=[assessment.pk, "stone"])
    page = client.post(
        url, {"shown": ["stone.sinks"], "stone.sinks": ["devis-facturation"]},
        headers={"HX-Request": "true"},
    ).content.decode()  # fmt: skip
    assert 'name="stone.devis-facturation.people"' in page
    assert "<html" not in page
    assert stored_answers(assessment) == {}


def test_hidden_questions_do_not_block_the_step(client, owned, real_spec):
    assessment = owned()
    answers = section_answers(real_spec, "stone")
    answers["stone.sinks"] = ["emails-questions-clients"]
    answers["stone.appels-offres.hours"] = "beaucoup"  # no longer asked
    response = post_step(client, assessment, "stone", answers)
    assert response.status_code == 302


def test_finishing_with_a_step_left_incomplete_leads_back_to_it(
    client, owned, real_spec
):
    assessment = owned()
    response = post_step(
        client, assessment, "ambition", section_answers(real_spec, "ambition")
    )
    assert response.url == reverse("assessment:step", args=[assessment.pk, "company"])
    page = client.get(response.url).content.decode()
    assert "Il reste des questions sans réponse" in page
    assert not Assessment.objects.get().is_submitted()


def test_a_submitted_diagnostic_is_read_only(client, finished):
    url = reverse("assessment:step", args=[finished.pk, "company"])
    assert client.get(url).url == reverse("assessment:result", args=[finished.pk])
    response = post_step(client, finished, "company", {"company.activity": "Changé"})
    assert response.url == reverse("assessment:result", args=[finished.pk])
    assert stored_answers(finished)["company.activity"] != "Changé"


def test_unknown_steps_and_ids_are_404(client, owned):
    assessment = owned()
    assert (
        client.get(reverse("assessment:step", args=[assessment.pk, "nope"])).status_code
        == 404
    )
    assert client.get("/diagnostic/999999/resultat/").status_code == 404
    assert client.get("/diagnostic/abc/resultat/").status_code == 404


def test_the_progress_is_shown(client, owned):
    assessment = owned()
    page = client.get(reverse("assessment:step", args=[assessment.pk, "stone"]))
    html = page.content.decode()
    assert "Étape 3 sur 9" in html
    assert '<progress value="3" max="9"' in html


# --- The result ---------------------------------------------------------------------


def test_result_shows_level_radar_stone_and_roadmap(client, finished):
    response = client.get(reverse("assessment:result", args=[finished.pk]))
    page = plain(response)
    assert response.status_code == 200
    assert "Niveau : " in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert '<desc id="radar-desc">Stratégie : ' in page
    assert "<caption>Vos scores par dimension" in page
    assert "Appels d’offres et dossiers administratifs" in page
    assert (
        "36 h par semaine × 45 semaines travaillées × 35 € de l’heure = 56 700 € par an"
        in page
    )
    assert "35 € de l’heure et 45 semaines travaillées par an" in page
    assert "Votre feuille de route" in page
    assert "0 à 3 mois : un premier gain rapide" in page
    assert "Générer mon plan d’action (PDF)" in page
    assert "Refaire le diagnostic" in page


def test_every_recommendation_says_why(client, finished):
    response = client.get(reverse("assessment:result", args=[finished.pk]))
    recs = response.context["recs"]
    chosen = [*recs.use_cases, *recs.programmes, *recs.providers, *recs.training]
    assert chosen
    page = plain(response)
    assert page.count("<summary>Pourquoi ?</summary>") == len(chosen)
    for rec in chosen:
        assert rec.reasons
        reason = str(rec.reasons[0]).replace(NBSP, " ").replace("&", "&amp;")
        assert reason[:30] in page.replace("&#x27;", "'")


def test_weak_security_brings_the_secure_first_block(client, owned):
    weak = {
        **ANSWERS,
        "cyber.backups": "none",
        "cyber.mfa": "none",
        "cyber.updates": "0",
    }
    assessment = owned(answers=weak, submitted=True)
    page = plain(client.get(reverse("assessment:result", args=[assessment.pk])))
    assert "Sécurisez d’abord les bases" in page


def test_the_hourly_cost_changes_the_cost_of_the_stone(client, finished):
    url = reverse("assessment:hourly_cost", args=[finished.pk])
    response = client.post(url, {"hourly_cost": "50"})
    assert response.status_code == 302
    page = plain(client.get(response.url))
    assert "= 81 000 € par an" in page


@pytest.mark.parametrize("value", ["0", "1001", "beaucoup", ""])
def test_a_bad_hourly_cost_is_a_form_error(client, finished, value):
    url = reverse("assessment:hourly_cost", args=[finished.pk])
    response = client.post(url, {"hourly_cost": value})
    assert response.status_code == 200
    assert 'id="id_hourly_cost_error"' in response.content.decode()
    finished.refresh_from_db()
    assert finished.hourly_cost == 35


def test_a_draft_has_no_result_yet(client, owned):
    assessment = owned()
    response = client.get(reverse("assessment:result", args=[assessment.pk]))
    assert response.url == reverse("assessment:step", args=[assessment.pk, "company"])


def test_the_result_page_speaks_english(client, finished):
    response = client.get(
        reverse("assessment:result", args=[finished.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = plain(response)
    assert "Your AI diagnostic" in page
    assert "€56,700" in page
    assert "Tenders and administrative files" in page  # the stone, in English
    assert "3 people" in page and "personne" not in page


def test_the_questionnaire_speaks_english(client, owned):
    assessment = owned()
    url = reverse("assessment:step", args=[assessment.pk, "ambition"])
    page = plain(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Budget and ambition" in page and "Budget et ambition" not in page
    assert "What budget could you devote to AI over a year?" in page
    assert "Under €1,000" in page


# --- Re-assessment ---------------------------------------------------------------------


def test_retaking_prefills_the_profile_and_asks_consent_again(client, finished):
    url = reverse("assessment:retake", args=[finished.pk])
    page = client.get(url).content.decode()
    assert 'value="Cabinet Durand"' in page
    assert (
        'name="consent"' in page
        and "checked" not in page.split('name="consent"')[1][:40]
    )
    data = profile_data()
    del data["consent"]
    client.post(url, data)
    assert Assessment.objects.count() == 1


def test_retaking_copies_the_answers_and_shows_the_progress(client, finished):
    response = client.post(
        reverse("assessment:retake", args=[finished.pk]), profile_data()
    )
    second = Assessment.objects.exclude(pk=finished.pk).get()
    assert second.previous == finished
    assert stored_answers(second) == stored_answers(finished)
    assert response.url == reverse("assessment:link", args=[second.pk])

    cyber = {k: v for k, v in ANSWERS.items() if k.startswith("cyber.")}
    post_step(
        client,
        second,
        "cyber",
        {**cyber, "cyber.updates": "4", "cyber.sovereignty": "4"},
    )
    page = client.get(
        reverse("assessment:step", args=[second.pk, "ambition"])
    ).content.decode()
    assert "Budget et ambition" in page
    done = post_step(
        client,
        second,
        "ambition",
        {k: v for k, v in ANSWERS.items() if k.startswith("ambition.")},
    )
    assert done.url == reverse("assessment:result", args=[second.pk])

    result = client.get(done.url)
    rows = {row.code: row for row in result.context["dimensions"]}
    assert rows["cyber"].delta > 0
    assert f"+{rows['cyber'].delta} points" in plain(result)
    assert "depuis votre diagnostic précédent" in plain(result)


# --- The printable questionnaire -------------------------------------------------------


def test_the_printable_preview_lists_every_question(client, real_spec):
    response = client.get(reverse("assessment:preview"))
    page = response.content.decode()
    for section in real_spec.sections:
        assert section.title in page
        for question in section.questions:
            assert question.label.replace("’", "’") in page.replace("&#x27;", "'"), (
                question.code
            )
    assert "Posée si vous avez répondu" in page
    assert (
        "@media print" in client.get("/static/css/assessment.css").getvalue().decode()
    )


def test_the_landing_page_leads_to_the_diagnostic(client, questionnaire):
    page = client.get("/").content.decode()
    assert reverse("assessment:start") in page
    assert reverse("assessment:preview") in page


def test_the_profile_step_speaks_english(client, questionnaire):
    data = profile_data()
    del data["consent"]
    response = client.post(reverse("assessment:start"), data, HTTP_ACCEPT_LANGUAGE="en")
    page = plain(response)
    assert "Company name" in page
    assert "Tick this box to start: without your consent, nothing is recorded." in page
    assert "Step 1 of 9" in page


# --- What is read of the owner's words ---------------------------------------------


def test_the_reading_is_shown_as_the_owner_types(client, owned):
    assessment = owned()
    url = reverse("assessment:stone_reading", args=[assessment.pk, "stone"])
    page = plain(client.post(
        url, {"stone.description": "les apels d offre nous tuent"},
        headers={"HX-Request": "true"},
    ))  # fmt: skip
    assert 'Nous comprenons : <strong lang="fr">Appels d’offres' in page
    assert "c’est bien ça ?" in page
    assert 'value="appels-offres"' in page  # « Oui »
    assert 'value="devis-facturation"' in page  # one of the others
    assert "<html" not in page
    assert stored_answers(assessment) == {}


def test_words_not_understood_ask_the_owner_to_choose(client, owned):
    assessment = owned()
    url = reverse("assessment:stone_reading", args=[assessment.pk, "stone"])
    page = plain(client.post(url, {"stone.description": "Bonjour à tous"}))
    assert "Nous n’avons pas reconnu de tâche dans vos mots" in page
    assert page.count('name="stone.confirmed"') == 12


def test_without_javascript_the_reading_shows_once_on_submit(client, owned, real_spec):
    assessment = owned()
    answers = section_answers(real_spec, "stone")
    del answers["stone.confirmed"]
    response = post_step(client, assessment, "stone", answers)
    page = plain(response)
    assert response.status_code == 200
    assert "Voici ce que nous comprenons de vos mots" in page
    assert 'Nous comprenons : <strong lang="fr">Appels d’offres' in page
    response = post_step(
        client, assessment, "stone", answers, shown=[*answers, "stone.confirmed"],
        reading_seen="1",
    )  # fmt: skip
    assert response.status_code == 302  # seen once: the owner may move on


def test_the_confirmed_category_is_saved_with_the_answers(client, owned, real_spec):
    assessment = owned()
    answers = {
        **section_answers(real_spec, "stone"),
        "stone.confirmed": "saisie-donnees",
    }
    assert post_step(client, assessment, "stone", answers).status_code == 302
    assert stored_answers(assessment)["stone.confirmed"] == "saisie-donnees"
