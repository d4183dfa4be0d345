"""The whole network's data as one archive: backups, restores, moving to another server.

`export_archive` writes one zip file: ``manifest.json`` (format version, date, software
versions, applied migrations, and the row count and SHA-256 of every member), one
``data/<app>.<model>.json`` member per model in Django's JSON serialization, and one
``media/<name>`` member per uploaded file, read through the storage API (file system or S3).

`import_archive` restores such an archive into a freshly migrated database. It verifies the
whole archive before writing anything, writes in one transaction, and on any error rolls the
transaction back and deletes the media files it had written: a failed import changes nothing.
The derived data (search indexes, Wagtail's reference index) is rebuilt after the commit.

Every primary key is kept: Wagtail stores page, document, image and user ids inside JSON and
StreamField values (revisions, translation sources, log entries), which natural keys could not
follow. The two tables `migrate` fills in every database under its own ids, content types and
permissions, are archived and referred to by natural key instead, and merged on import: the
ones the database lacks (a permission a data migration made, a stale content type) are added.
"""

import hashlib
import io
import json
import logging
import os
import zipfile
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from importlib import metadata
from pathlib import Path

import django
import wagtail
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

logger = logging.getLogger(__name__)

FORMAT = "social-protection-portal/network-data"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_PREFIX = "data/"
MEDIA_PREFIX = "media/"

# What the archive leaves out, and why (docs/deploy.md repeats this list).
EXCLUDED_APPS = {
    "sessions": "sign-ins of this server; everyone signs in again after a restore",
    "axes": "login attempts and lockouts: this server's security log",
    "search": "the discovery search index, derived from the content: rebuilt after import",
}
EXCLUDED_MODELS = {
    "wagtailsearch.indexentry": "the admin search index, derived: rebuilt after import",
    "wagtailsearch.sqliteftsindexentry": "the admin search index, derived: rebuilt after import",
    "wagtailcore.referenceindex": "Wagtail's usage index, derived: rebuilt after import",
    "wagtailimages.rendition": "resized images, derived: made again when first shown",
    "wagtailembeds.embed": "a cache of embed providers' answers",
    "wagtailadmin.editingsession": "who has an edit form open at this moment",
    "wagtailadmin.formstate": "edit forms autosaved and not submitted, expiring",
    "wagtailcore.uploadedfile": "admin uploads not yet turned into an image or document",
}
# Rows of the archived models that `migrate` itself creates (Wagtail's data migrations and
# the post_migrate receivers: groups, locales, site, collection, workflows, vocabularies).
# A database holding only these counts as empty, and the import replaces them by the
# archive's rows. Pages are allowed too, as long as they are of Wagtail's base type: the root
# and Wagtail's welcome page.
CREATED_BY_MIGRATE = {
    "auth.group", "auth.group_permissions",
    "wagtailcore.locale", "wagtailcore.site", "wagtailcore.collection",
    "wagtailcore.groupcollectionpermission", "wagtailcore.grouppagepermission",
    "wagtailcore.workflow", "wagtailcore.workflowtask", "wagtailcore.task",
    "wagtailcore.groupapprovaltask", "wagtailcore.groupapprovaltask_groups",
    "wagtailcore.workflowcontenttype", "wagtailcore.workflowpage",
    "programs.topic", "programs.targetpopulation", "programs.exchangemethod",
    "programs.programstatus", "programs.sustainabledevelopmentgoal", "programs.sdgtarget",
    "programs.articulatorsector", "programs.articulatorscope", "programs.supporttype",
    "programs.povertytopic", "programs.articulatorreviewtask",
    "programs.articulatorreviewtask_groups",
}
# Archived first, by natural key, and merged into the database's own (see the docstring).
NATURAL_KEY_MODELS = (ContentType, Permission)
# Their rows are written in natural-key order, so that two databases with the same content
# give identical members whatever ids they gave their content types.
NATURAL_ORDER = {
    ContentType: ("app_label", "model"),
    Permission: ("content_type__app_label", "content_type__model", "codename"),
}


class NetworkArchiveError(Exception):
    """The archive cannot be written or restored; the message says what and where."""


class DatabaseNotEmptyError(NetworkArchiveError):
    pass


def model_label(model):
    return model._meta.label_lower


def archived_models():
    """Every model whose rows the archive holds, in the app registry's order: the project's
    apps, Wagtail's, users and groups, and the through tables of many-to-many fields (archived
    as models of their own, so that modelcluster's deferred relations are restored too)."""
    chosen = list(NATURAL_KEY_MODELS)
    for model in apps.get_models(include_auto_created=True):
        options = model._meta
        if options.proxy or not options.managed or options.swapped or model in chosen:
            continue
        if options.app_label in EXCLUDED_APPS or options.label_lower in EXCLUDED_MODELS:
            continue
        chosen.append(model)
    return chosen


def excluded_tables():
    """Label and reason of every model the archive leaves out."""
    reasons = {}
    for model in apps.get_models(include_auto_created=True):
        label = model_label(model)
        reason = EXCLUDED_MODELS.get(label) or EXCLUDED_APPS.get(model._meta.app_label)
        if reason and not model._meta.proxy and model._meta.managed:
            reasons[label] = reason
    return reasons


class ArchiveSerializer(JSONSerializer):
    """Django's JSON serializer with primary keys everywhere except content types and
    permissions, and without many-to-many lists (their through tables are archived)."""

    def start_serialization(self):
        super().start_serialization()
        self._natural_keys = {}

    def _natural_key(self, model, pk):
        cache = self._natural_keys.get(model)
        if cache is None:
            cache = self._natural_keys[model] = {
                obj.pk: list(obj.natural_key())
                for obj in model._base_manager.select_related(
                    *(["content_type"] if model is Permission else []))
            }
        return cache[pk]

    def handle_fk_field(self, obj, field):
        target = field.remote_field.model
        if target in NATURAL_KEY_MODELS:
            pk = getattr(obj, field.attname)
            self._current[field.name] = None if pk is None else self._natural_key(target, pk)
        else:
            self._current[field.name] = self._value_from_field(obj, field)

    def handle_m2m_field(self, obj, field):
        pass

    def get_dump_object(self, obj):
        data = super().get_dump_object(obj)
        pk_field = obj._meta.pk
        if pk_field.is_relation and pk_field.remote_field.model in NATURAL_KEY_MODELS:
            # A row keyed by a content type (Wagtail's WorkflowContentType) is keyed by name.
            data["pk"] = self._natural_key(pk_field.remote_field.model, obj.pk)
        return data

    def _value_from_field(self, obj, field):
        value = field.value_from_object(obj)
        if isinstance(value, datetime | time):
            # Django's JSON encoder keeps milliseconds only; a restore must keep every digit.
            return value.isoformat()
        return super()._value_from_field(obj, field)


class _DigestingWriter:
    """Writes text to a binary zip member, counting its bytes and hashing them."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.digest.update(data)
        self.size += len(data)
        self.raw.write(data)


@dataclass
class ArchiveSummary:
    path: Path
    rows: int = 0
    models: int = 0
    media_files: int = 0
    media_bytes: int = 0
    counts: dict = field(default_factory=dict)


def applied_migrations(using=DEFAULT_DB_ALIAS):
    applied = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(applied.items())}


def _version(distribution):
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def _file_fields(model):
    return [f for f in model._meta.local_fields if isinstance(f, models.FileField)]


@contextmanager
def _snapshot(using):
    """One consistent view of the database for the whole export."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            # Rows written by others while the export runs must not make it inconsistent.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def export_archive(path, *, using=DEFAULT_DB_ALIAS):
    """Write every archived model's rows and every uploaded file they name to ``path``.

    The archive is written next to ``path`` under a temporary name and renamed when complete,
    so that a failed export leaves no partial archive behind."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    summary = ArchiveSummary(path=path)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {
            "django": django.get_version(),
            "wagtail": wagtail.__version__,
            "wagtail-localize": _version("wagtail-localize"),
            "portal": _version("social-protection-portal"),
        },
        "database": connections[using].vendor,
        "migrations": {},
        "models": [],
        "media": [],
        "excluded": excluded_tables(),
    }
    try:
        with _snapshot(using):
            manifest["migrations"] = applied_migrations(using)
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                media = {}
                for model in archived_models():
                    entry = _write_model(archive, model, using)
                    manifest["models"].append(entry)
                    summary.counts[entry["model"]] = entry["rows"]
                    summary.rows += entry["rows"]
                    for file_field in _file_fields(model):
                        names = (model._base_manager.using(using)
                                 .exclude(**{file_field.attname: ""})
                                 .exclude(**{f"{file_field.attname}__isnull": True})
                                 .values_list("pk", file_field.attname))
                        for pk, name in names:
                            media.setdefault(name, (model, file_field, pk))
                for name, (model, file_field, pk) in sorted(media.items()):
                    entry = _write_media(archive, name, model, file_field, pk)
                    manifest["media"].append(entry)
                    summary.media_bytes += entry["bytes"]
                archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    summary.models = len(manifest["models"])
    summary.media_files = len(manifest["media"])
    return summary


def _member_info(member):
    info = zipfile.ZipInfo(member, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _write_model(archive, model, using):
    label = model_label(model)
    member = f"{DATA_PREFIX}{label}.json"
    rows = [0]

    def counted(queryset):
        for obj in queryset.iterator(chunk_size=2000):
            rows[0] += 1
            yield obj

    pk_field = model._meta.pk
    if model in NATURAL_ORDER:
        order = NATURAL_ORDER[model]
    elif pk_field.is_relation and pk_field.remote_field.model in NATURAL_ORDER:
        order = [f"{pk_field.name}__{name}" for name in NATURAL_ORDER[pk_field.remote_field.model]]
    else:
        order = ["pk"]
    queryset = model._base_manager.using(using).order_by(*order)
    with archive.open(_member_info(member), "w", force_zip64=True) as raw:
        writer = _DigestingWriter(raw)
        ArchiveSerializer().serialize(counted(queryset), stream=writer,
                                      use_natural_primary_keys=model in NATURAL_KEY_MODELS)
    return {"model": label, "member": member, "rows": rows[0], "bytes": writer.size,
            "sha256": writer.digest.hexdigest()}


def _write_media(archive, name, model, file_field, pk):
    member = f"{MEDIA_PREFIX}{name}"
    digest, size = hashlib.sha256(), 0
    try:
        source = file_field.storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise NetworkArchiveError(
            f"{model_label(model)} pk={pk}: its file {name!r} ({file_field.name}) is missing "
            f"from the media storage: {error}") from error
    with source, archive.open(_member_info(member), "w", force_zip64=True) as target:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    return {"name": name, "member": member, "bytes": size, "sha256": digest.hexdigest(),
            "field": f"{model_label(model)}.{file_field.name}"}


# Import


@dataclass
class ImportSummary:
    rows: int = 0
    models: int = 0
    media_files: int = 0
    replaced: dict = field(default_factory=dict)


def read_manifest(archive):
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        raise NetworkArchiveError(f"The archive has no {MANIFEST}: it is not a network data "
                                  "archive.") from error
    except (ValueError, zipfile.BadZipFile) as error:
        raise NetworkArchiveError(f"{MANIFEST} cannot be read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise NetworkArchiveError(f"{MANIFEST} does not describe a network data archive "
                                  f"(format {FORMAT!r} expected).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise NetworkArchiveError(
            f"The archive's format version is {manifest.get('format_version')!r}; this version "
            f"of the portal reads version {FORMAT_VERSION}.")
    for key in ("migrations", "models", "media"):
        if key not in manifest:
            raise NetworkArchiveError(f"{MANIFEST} has no {key!r} entry.")
    return manifest


def verify_members(archive, manifest):
    """Every member the manifest lists is there with its checksum, and nothing else is."""
    listed = {entry["member"]: entry for entry in [*manifest["models"], *manifest["media"]]}
    present = {info.filename for info in archive.infolist() if not info.is_dir()}
    unlisted = sorted(present - set(listed) - {MANIFEST})
    if unlisted:
        raise NetworkArchiveError(f"The archive holds members its manifest does not list: "
                                  f"{', '.join(unlisted[:5])}.")
    for member, entry in listed.items():
        if member not in present:
            raise NetworkArchiveError(f"The archive lacks {member}, listed in its manifest.")
        digest = hashlib.sha256()
        try:
            with archive.open(member) as source:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    digest.update(chunk)
        except (zipfile.BadZipFile, OSError) as error:
            raise NetworkArchiveError(f"{member} cannot be read: {error}") from error
        if digest.hexdigest() != entry.get("sha256"):
            raise NetworkArchiveError(
                f"{member} does not match its checksum in the manifest: the archive is "
                "damaged or was changed after export.")


def verify_migrations(manifest, using):
    """The archive's rows fit this database's tables only if both are at the same migrations."""
    ours = applied_migrations(using)
    theirs = manifest["migrations"]
    ours_set = {(app, name) for app, names in ours.items() for name in names}
    theirs_set = {(app, name) for app, names in theirs.items() for name in names}
    missing_here = sorted(theirs_set - ours_set)
    missing_there = sorted(ours_set - theirs_set)
    if missing_here or missing_there:
        parts = []
        if missing_here:
            parts.append("this database lacks migrations the archive was made with: "
                         + ", ".join(f"{app}.{name}" for app, name in missing_here[:10]))
        if missing_there:
            parts.append("the archive was made before migrations this database has: "
                         + ", ".join(f"{app}.{name}" for app, name in missing_there[:10]))
        raise NetworkArchiveError(
            "The archive and this database are at different migrations (" + "; ".join(parts)
            + "). Import into a database migrated to the archive's state with the portal "
            "version that made it, then upgrade as usual.")


def _models_of(manifest):
    ours = {model_label(model): model for model in archived_models()}
    listed = [entry["model"] for entry in manifest["models"]]
    unknown = sorted(set(listed) - set(ours))
    if unknown:
        raise NetworkArchiveError(f"The archive holds models this portal does not archive: "
                                  f"{', '.join(unknown)}.")
    absent = sorted(set(ours) - set(listed))
    if absent:
        raise NetworkArchiveError(f"The archive has no data for {', '.join(absent)}: it was "
                                  "not made by this version of the portal.")
    for entry in manifest["models"]:
        if entry["member"] != f"{DATA_PREFIX}{entry['model']}.json":
            raise NetworkArchiveError(f"{MANIFEST}: {entry['model']} is stored under an "
                                      f"unexpected name, {entry['member']}.")
    return [ours[label] for label in listed]


def network_data_in(using=DEFAULT_DB_ALIAS):
    """What in the database is more than `migrate` creates: {model label: row count}."""
    from wagtail.models import Page

    found = {}
    base_page_type = ContentType.objects.db_manager(using).get_for_model(Page)
    for model in archived_models():
        label = model_label(model)
        if label in CREATED_BY_MIGRATE or model in NATURAL_KEY_MODELS:
            continue
        rows = model._base_manager.using(using)
        if model is Page:
            rows = rows.exclude(content_type=base_page_type)
        elif issubclass(model, Page):
            continue  # counted through wagtailcore.page
        count = rows.count()
        if count:
            found[label] = count
    return found


def _not_empty_message(found):
    listed = ", ".join(f"{label} ({count} rows)" for label, count in sorted(found.items()))
    return (f"The database is not empty: {listed}. import_network_data restores into a freshly "
            "migrated database only: create a new database, run `manage.py migrate`, then "
            "import.")


@dataclass
class _PlannedFile:
    name: str
    member: str
    storage: object
    exists: bool


def _plan_media(archive, manifest):
    """Where each file goes, refusing a name the storage already holds with other content."""
    planned = []
    for entry in manifest["media"]:
        name, member = entry["name"], entry["member"]
        if member != f"{MEDIA_PREFIX}{name}":
            raise NetworkArchiveError(f"{MANIFEST}: media file {name!r} is stored under an "
                                      f"unexpected name, {member}.")
        try:
            label, field_name = entry["field"].rsplit(".", 1)
            storage = apps.get_model(label)._meta.get_field(field_name).storage
        except (KeyError, ValueError, LookupError) as error:
            raise NetworkArchiveError(f"{MANIFEST}: media file {name!r} names an unknown "
                                      f"field {entry.get('field')!r}.") from error
        try:
            exists = storage.exists(name)
            digest = hashlib.sha256()
            if exists:
                with storage.open(name, "rb") as current:
                    for chunk in iter(lambda current=current: current.read(1024 * 1024), b""):
                        digest.update(chunk)
        except Exception as error:  # a name the storage refuses, e.g. one leaving its folder
            raise NetworkArchiveError(f"{member}: the media storage refuses this file: "
                                      f"{error}") from error
        if exists and digest.hexdigest() != entry["sha256"]:
            raise NetworkArchiveError(
                f"The media storage already holds {name!r} with other content; move it "
                "away or import into an empty media storage.")
        planned.append(_PlannedFile(name, member, storage, exists))
    return planned


class _WrittenMedia:
    """The files an import wrote, to remove them (and the folders it made) if it fails."""

    def __init__(self):
        self.files = []
        self.new_folders = []

    def write(self, archive, planned):
        location = self._location(planned.storage)
        if location is not None:
            folder = (location / planned.name).parent
            while folder != location and location in folder.parents and not folder.exists():
                self.new_folders.append(folder)
                folder = folder.parent
        try:
            with archive.open(planned.member) as source:
                saved = planned.storage.save(planned.name, source)
        except Exception as error:
            raise NetworkArchiveError(f"{planned.member} cannot be written to the media "
                                      f"storage: {error}") from error
        self.files.append((planned.storage, saved))
        if saved != planned.name:
            raise NetworkArchiveError(f"The media storage saved {planned.name!r} as {saved!r}.")

    @staticmethod
    def _location(storage):
        try:
            return Path(storage.path(""))
        except NotImplementedError:
            return None

    def remove(self):
        for storage, name in self.files:
            try:
                storage.delete(name)
            except Exception:
                logger.exception("Could not remove %s after a failed import", name)
        for folder in sorted(set(self.new_folders), key=lambda f: len(f.parts), reverse=True):
            with suppress(OSError):
                folder.rmdir()  # only when empty: another file may have arrived meanwhile


def _load_member(archive, entry, model, using):
    member, label = entry["member"], entry["model"]
    try:
        rows = json.loads(archive.read(member))
    except ValueError as error:
        raise NetworkArchiveError(f"{member} is not valid JSON: {error}") from error
    if not isinstance(rows, list):
        raise NetworkArchiveError(f"{member} does not hold a list of rows.")
    if len(rows) != entry["rows"]:
        raise NetworkArchiveError(f"{member} holds {len(rows)} rows, its manifest says "
                                  f"{entry['rows']}.")
    for position, row in enumerate(rows, start=1):
        where = f"{member}, row {position}"
        if not isinstance(row, dict) or row.get("model") != label:
            raise NetworkArchiveError(f"{where}: a row of {label} expected.")
        where = f"{where} ({label} pk={row.get('pk')!r})"
        try:
            if isinstance(row.get("pk"), list) and model._meta.pk.is_relation:
                target = model._meta.pk.remote_field.model
                row = {**row, "pk": target._default_manager.db_manager(using)
                       .get_by_natural_key(*row["pk"]).pk}
            for deserialized in serializers.deserialize("python", [row], using=using):
                if model in NATURAL_KEY_MODELS:
                    # Found by natural key: updated if the database has it, added if not.
                    deserialized.save(using=using)
                else:
                    # An insert, never an update: a repeated primary key is an error.
                    deserialized.save(using=using, force_insert=True)
        except Exception as error:
            raise NetworkArchiveError(f"{where}: {error}") from error
    return len(rows)


def _check_references(loaded, using):
    """Every foreign key of every loaded row names a row that exists; the message names the
    first rows that do not (the database would only say so at commit, less precisely)."""
    for model in loaded:
        for fk in model._meta.local_fields:
            if not fk.is_relation or (not fk.many_to_one and not fk.one_to_one):
                continue
            if not getattr(fk, "db_constraint", False):
                continue
            target = fk.remote_field.model
            target_field = fk.target_field.attname
            orphans = list(
                model._base_manager.using(using)
                .exclude(**{f"{fk.attname}__isnull": True})
                .exclude(**{f"{fk.attname}__in": target._base_manager.using(using)
                            .values(target_field)})
                .values_list("pk", fk.attname)[:3])
            if orphans:
                listed = "; ".join(f"pk={pk}: {fk.attname}={value!r}" for pk, value in orphans)
                raise NetworkArchiveError(
                    f"{DATA_PREFIX}{model_label(model)}.json: rows refer to a "
                    f"{model_label(target)} that is not in the archive ({listed}).")


def _clear(models_to_clear, using):
    connection = connections[using]
    with connection.cursor() as cursor:
        for model in models_to_clear:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def import_archive(path, *, using=DEFAULT_DB_ALIAS, rebuild=True):
    """Restore the archive at ``path`` into this (freshly migrated) database and media storage.

    Raises `NetworkArchiveError` (`DatabaseNotEmptyError` for a database holding network data)
    and changes nothing when anything is wrong."""
    try:
        return _import_archive(path, using=using, rebuild=rebuild)
    finally:
        # Content types are merged by natural key and may change ids; the process-wide cache
        # of ContentType rows must not keep the old ones (success, failure or rollback).
        ContentType.objects.clear_cache()


def _import_archive(path, *, using, rebuild):
    from django.contrib.sessions.models import Session
    from wagtail.models import Page

    summary = ImportSummary()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise NetworkArchiveError(f"{path} is not a readable zip archive: {error}") from error
    with archive:
        manifest = read_manifest(archive)
        verify_members(archive, manifest)
        verify_migrations(manifest, using)
        loaded_models = _models_of(manifest)
        found = network_data_in(using)
        if found:
            raise DatabaseNotEmptyError(_not_empty_message(found))
        planned = _plan_media(archive, manifest)
        written = _WrittenMedia()
        try:
            for planned_file in planned:
                if not planned_file.exists:
                    written.write(archive, planned_file)
            with transaction.atomic(using=using):
                summary.replaced = {model_label(model): model._base_manager.using(using).count()
                                    for model in loaded_models
                                    if model_label(model) in CREATED_BY_MIGRATE}
                summary.replaced["wagtailcore.page"] = Page._base_manager.using(using).count()
                summary.replaced = {label: n for label, n in summary.replaced.items() if n}
                _clear([model for model in loaded_models if model not in NATURAL_KEY_MODELS]
                       + [Session], using)
                for entry, model in zip(manifest["models"], loaded_models, strict=True):
                    summary.rows += _load_member(archive, entry, model, using)
                _check_references(loaded_models, using)
                connection = connections[using]
                connection.check_constraints(
                    table_names=[model._meta.db_table for model in loaded_models])
                with connection.cursor() as cursor:
                    for statement in connection.ops.sequence_reset_sql(no_style(), loaded_models):
                        cursor.execute(statement)
                if rebuild:
                    transaction.on_commit(rebuild_derived_data, using=using)
        except BaseException:
            written.remove()
            raise
    summary.models = len(loaded_models)
    summary.media_files = len(planned)
    return summary


def rebuild_derived_data(stdout=None):
    """The indexes the archive leaves out, rebuilt from the restored content."""
    sink = stdout or io.StringIO()
    call_command("rebuild_search_index", stdout=sink)
    call_command("rebuild_references_index", stdout=sink)
    call_command("update_index", stdout=sink)
