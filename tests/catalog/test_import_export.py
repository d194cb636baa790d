import re
from datetime import date

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Programme, Provider
from catalog.resources import ProgrammeResource, ProviderResource


def csv_dataset(text: str) -> tablib.Dataset:
    return tablib.Dataset().load(text, format="csv")


def test_csv_export_then_import_round_trip_changes_nothing(catalog):
    exported = ProgrammeResource().export().csv
    before = sorted(
        Programme.objects.values_list("slug", "name", "amount_eur", "parent__slug")
    )
    result = ProgrammeResource().import_data(csv_dataset(exported), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    after = sorted(
        Programme.objects.values_list("slug", "name", "amount_eur", "parent__slug")
    )
    assert after == before
    cyber_occ = Programme.objects.get(slug="cyber-occ")
    assert list(cyber_occ.regions.values_list("code", flat=True)) == ["76"]


def test_csv_import_creates_and_updates_by_slug_with_related_slugs(catalog):
    data = csv_dataset(
        "slug,name,kind,town,department,region,services,is_french_or_eu\n"
        "nouvel-integrateur,Nouvel Intégrateur,integrator,Albi,81,76,"
        "integration-ia,1\n"
        "akawan,Akawan,integrator,Toulouse,31,76,integration-ia,1\n"
    )
    result = ProviderResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    new = Provider.objects.get(slug="nouvel-integrateur")
    assert new.department.code == "81"
    assert list(new.services.values_list("slug", flat=True)) == ["integration-ia"]
    assert Provider.objects.filter(slug="akawan").count() == 1


def test_bad_csv_rows_are_reported_by_line_and_nothing_is_imported(catalog):
    data = csv_dataset(
        "slug,name,kind,town,department,region,services,is_french_or_eu\n"
        "bon-prestataire,Bon prestataire,integrator,Albi,81,76,,\n"
        "mauvais-type,Mauvais type,astrologer,Albi,81,76,,\n"
        "akawan,Akawan modifié,integrator,Toulouse,31,76,,\n"
        "mauvais-departement,Mauvais département,integrator,Nulle part,99,,,\n"
    )
    result = ProviderResource().import_data(data, dry_run=False)
    reported = {row.number for row in result.invalid_rows} | {
        number for number, _errors in result.row_errors()
    }
    assert reported == {2, 4}
    assert "kind" in str(result.invalid_rows[0].error_dict)
    assert not Provider.objects.filter(slug="bon-prestataire").exists()
    assert Provider.objects.get(slug="akawan").name == "Akawan"


def test_admin_lists_and_import_pages_open_for_editors(admin_client, catalog):
    for model in ("programme", "provider", "usecase", "solution", "keyfigure"):
        assert admin_client.get(f"/admin/catalog/{model}/").status_code == 200
        assert admin_client.get(f"/admin/catalog/{model}/import/").status_code == 200
    programme = Programme.objects.get(slug="cyber-occ")
    page = admin_client.get(f"/admin/catalog/programme/{programme.pk}/change/")
    assert page.status_code == 200
    assert "150 appels par an" in page.content.decode()


def test_programme_ending_before_it_starts_fails_validation(catalog):
    programme = Programme.objects.get(slug="cyber-occ")
    programme.starts_on, programme.ends_on = date(2025, 6, 1), date(2025, 1, 1)
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "ends_on" in error.value.message_dict


def test_admin_import_shows_bad_rows_by_line_number(admin_client, catalog):
    upload = SimpleUploadedFile(
        "providers.csv",
        b"slug,name,kind,town,department\n"
        b"ok-provider,OK,integrator,Albi,81\n"
        b"bad-provider,Bad,astrologer,Albi,81\n",
        content_type="text/csv",
    )
    page = admin_client.post(
        "/admin/catalog/provider/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Certaines lignes ont échoué à la validation" in text
    assert re.search(r"<td[^>]*>\s*2\s*</td>", text)  # the row number
    assert "astrologer" in text
    assert not Provider.objects.filter(slug="ok-provider").exists()
