"""`export_network_data` / `import_network_data`: a round trip restores identical content, and a
failed import changes nothing (portal/network_archive.py)."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Locale

from matchmaking.services import publishing
from portal import network_archive
from portal.accounts.roles import Role
from portal.models import Country, Institution
from programs.models import LibraryDocument, ProgramProfilePage
from tests.conftest import make_user
from tests.matchmaking.rounds_factories import member, small_workshop

pytestmark = pytest.mark.django_db

# What the archive leaves out; anything else a future migration adds is archived by default.
DOCUMENTED_EXCLUSIONS = {
    "sessions.session",
    "axes.accessattempt", "axes.accessattemptexpiration", "axes.accessfailurelog",
    "axes.accesslog", "search.searchentry", "search.searchfacetvalue", "search.searchword",
    "search.searchstate", "search.searchchange", "wagtailsearch.indexentry",
    "wagtailsearch.sqliteftsindexentry", "wagtailcore.referenceindex",
    "wagtailimages.rendition", "wagtailembeds.embed", "wagtailadmin.editingsession",
    "wagtailadmin.formstate", "wagtailcore.uploadedfile",
}


@pytest.fixture(autouse=True)
def content_types_forgotten_afterwards():
    """Emptying the database gives content types new ids, and the test's rollback gives the
    old ones back: the process-wide ContentType cache must not keep either for later tests
    on this worker (it made Wagtail read registry regions as pages)."""
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def media_files(root):
    """Every file and folder under the media root, files with their bytes."""
    if not root.exists():
        return {}
    return {str(path.relative_to(root)): (path.read_bytes() if path.is_file() else "folder")
            for path in sorted(root.rglob("*"))}


def canonical_dump():
    """Every archived table's rows, all columns, sorted by primary key; content types and
    permissions by natural key, since their ids belong to each database."""
    content_types = {ct.pk: ct.natural_key() for ct in ContentType.objects.all()}
    permissions = {p.pk: p.natural_key()
                   for p in Permission.objects.select_related("content_type")}
    dump = {
        "contenttypes.contenttype": sorted(content_types.values()),
        "auth.permission": sorted((p.natural_key(), p.name)
                                  for p in Permission.objects.select_related("content_type")),
    }
    for model in network_archive.archived_models():
        if model in network_archive.NATURAL_KEY_MODELS:
            continue
        columns = model._meta.local_concrete_fields
        rows = []
        for values in model._base_manager.values_list(
                *[column.attname for column in columns]):
            row = {}
            for column, value in zip(columns, values, strict=True):
                target = column.remote_field.model if column.is_relation else None
                if target is ContentType and value is not None:
                    value = content_types[value]
                elif target is Permission and value is not None:
                    value = permissions[value]
                row[column.attname] = value
            rows.append(row)
        # Sorted by value: a row keyed by a content type has another key in each database.
        dump[model._meta.label_lower] = sorted(
            rows, key=lambda row: json.dumps(row, sort_keys=True, default=str))
    return dump


def empty_database():
    """What `migrate` leaves in a new database: Django's flush, then its post_migrate."""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred foreign-key checks still pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, allow_cascade=True, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def add_image(title="Santa Marta plenary"):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (12, 8), (200, 30, 60)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ContentFile(buffer.getvalue(), name="plenary.png"))


def add_document(title="Evaluation of the cash transfer"):
    return LibraryDocument.objects.create(
        title=title, file=ContentFile(b"Evaluation report: coverage doubled.\n",
                                      name="evaluation.txt"))


def test_the_archive_leaves_out_only_documented_tables():
    every_table = {model._meta.label_lower
                   for model in apps.get_models(include_auto_created=True)
                   if model._meta.managed and not model._meta.proxy}
    archived = {model._meta.label_lower for model in network_archive.archived_models()}
    # Wagtail's SQLite full-text table is a model on SQLite only.
    assert every_table - archived == DOCUMENTED_EXCLUSIONS & every_table
    assert set(network_archive.excluded_tables()) == DOCUMENTED_EXCLUSIONS & every_table


def test_round_trip_of_the_demo_data_restores_identical_content(
        media_root, demo_data, tmp_path, client, commit):
    organiser = make_user(Role.ORGANISER, first_name="Ana", last_name="Organizadora")
    workshop, _sessions, delegations = small_workshop(organiser=organiser, min_attendees=1)
    delegate = member(delegations["COL"], email="col@example.org")
    with TestCase.captureOnCommitCallbacks(execute=True):
        publishing.publish(workshop, organiser, based_on=1)
    add_image()
    profile = ProgramProfilePage.objects.live().filter(
        locale=Locale.objects.get(language_code="en")).order_by("pk").first()
    profile_es = profile.get_translation(Locale.objects.get(language_code="es"))
    before, media_before = canonical_dump(), media_files(media_root)
    for label in ("programs.programprofilepage", "programs.articulator",
                  "programs.librarydocument", "wagtailimages.image", "wagtailcore.revision",
                  "wagtailcore.workflowstate", "matchmaking.workshop", "matchmaking.round",
                  "matchmaking.cooperationintention", "matchmaking.outcomereport",
                  "accounts.user"):
        assert before[label], f"the demo should have {label} rows to compare"
    assert any(name.startswith("documents/") for name in media_before)
    assert any(name.startswith("original_images/") for name in media_before)

    archive = tmp_path / "network.zip"
    output = io.StringIO()
    call_command("export_network_data", str(archive), stdout=output)
    assert "Exported" in output.getvalue()
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    assert manifest["format_version"] == network_archive.FORMAT_VERSION
    assert {entry["model"]: entry["rows"] for entry in manifest["models"]} == {
        label: len(rows) for label, rows in before.items()}

    empty_database()
    for path in sorted(media_root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert not Country.objects.exists()

    output = io.StringIO()
    call_command("import_network_data", str(archive), stdout=output)
    assert "Search indexes and reference index rebuilt" in output.getvalue()

    after = canonical_dump()
    for label, rows in before.items():
        assert after[label] == rows, label
    assert media_files(media_root) == media_before

    # Through the application: both languages of a profile, search, an agenda.
    for page in (profile, profile_es):
        response = client.get(page.url)
        assert response.status_code == 200
        assert page.title in response.content.decode()
    found = client.get("/en/search/", {"q": profile.title}).content.decode()
    assert profile.url in found
    client.force_login(delegate)
    agenda = client.get(f"/en/workshops/{workshop.slug}/agenda/COL/").content.decode()
    assert "Published version 1" in agenda
    assert "Sala Caribe" in agenda and "JUNTOS" in agenda


@pytest.fixture
def small_archive(media_root, tmp_path):
    """An archive of the test database's site and members plus one library document, and
    then the database emptied as `migrate` would leave it."""
    add_document()
    archive = tmp_path / "small.zip"
    network_archive.export_archive(archive)
    empty_database()
    for path in sorted(media_root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    return archive


def rewrite(archive, member, change, *, fix_checksum):
    """A copy of ``archive`` with ``change`` applied to the rows of ``member``."""
    with zipfile.ZipFile(archive) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    rows = json.loads(members[member])
    change(rows)
    members[member] = json.dumps(rows).encode()
    if fix_checksum:
        manifest = json.loads(members["manifest.json"])
        for entry in manifest["models"]:
            if entry["member"] == member:
                entry["sha256"] = hashlib.sha256(members[member]).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()
    changed = archive.with_name(f"changed-{archive.name}")
    with zipfile.ZipFile(changed, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    return changed


def assert_import_changes_nothing(archive, media_root, message_parts):
    before, media_before = canonical_dump(), media_files(media_root)
    with pytest.raises(network_archive.NetworkArchiveError) as failure:
        network_archive.import_archive(archive)
    for part in message_parts:
        assert part in str(failure.value)
    assert canonical_dump() == before
    assert media_files(media_root) == media_before


def test_a_tampered_member_is_refused_before_anything_is_written(small_archive, media_root):
    def rename_a_country(rows):
        rows[0]["fields"]["name_en"] = "Atlantis"

    tampered = rewrite(small_archive, "data/portal.country.json", rename_a_country,
                       fix_checksum=False)
    assert_import_changes_nothing(
        tampered, media_root, ["data/portal.country.json", "does not match its checksum"])


def _middle(rows):
    return rows[len(rows) // 2]


@pytest.mark.parametrize(("change", "message_parts"), [
    (lambda rows: _middle(rows)["fields"].update(country=999_999),
     ["data/portal.institution.json", "portal.institution", "country_id=999999",
      "portal.country"]),
    (lambda rows: _middle(rows)["fields"].update(country="Colombia"),
     ["data/portal.institution.json, row", "portal.institution pk=", "Colombia"]),
    (lambda rows: _middle(rows).update(pk=rows[0]["pk"]),
     ["data/portal.institution.json, row", "portal.institution pk="]),
], ids=["foreign key to a missing row", "invalid value", "duplicate primary key"])
def test_an_invalid_row_rolls_back_rows_and_media(small_archive, media_root, change,
                                                  message_parts):
    broken = rewrite(small_archive, "data/portal.institution.json", change, fix_checksum=True)
    assert_import_changes_nothing(broken, media_root, message_parts)
    # The same archive, intact, imports: the failure was the row and nothing else.
    network_archive.import_archive(small_archive, rebuild=False)
    assert Institution.objects.exists()
    assert (media_root / LibraryDocument.objects.get().file.name).exists()


def test_importing_into_a_database_with_network_data_is_refused(media_root, tmp_path):
    add_document()
    archive = tmp_path / "full.zip"
    network_archive.export_archive(archive)
    make_user(Role.MODERATOR)
    before, media_before = canonical_dump(), media_files(media_root)
    with pytest.raises(CommandError) as failure:
        call_command("import_network_data", str(archive), stdout=io.StringIO())
    message = str(failure.value)
    assert message.startswith("Nothing was imported. The database is not empty:")
    assert "accounts.user (1 rows)" in message and "portal.country" in message
    assert canonical_dump() == before
    assert media_files(media_root) == media_before


def test_a_different_migration_state_is_refused(small_archive, media_root):
    def older(manifest):
        manifest["migrations"]["portal"] = manifest["migrations"]["portal"][:-1]

    with zipfile.ZipFile(small_archive) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    manifest = json.loads(members["manifest.json"])
    older(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    changed = small_archive.with_name("older.zip")
    with zipfile.ZipFile(changed, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    assert_import_changes_nothing(changed, media_root, ["different migrations", "portal.0"])


def test_a_media_file_already_stored_with_other_content_is_refused(small_archive, media_root):
    with zipfile.ZipFile(small_archive) as archive:
        name = json.loads(archive.read("manifest.json"))["media"][0]["name"]
    (media_root / name).parent.mkdir(parents=True, exist_ok=True)
    (media_root / name).write_bytes(b"Another report under the same name.\n")
    assert_import_changes_nothing(small_archive, media_root, [name, "with other content"])
