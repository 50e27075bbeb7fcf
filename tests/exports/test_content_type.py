"""The content type the Export model left in the reports app when it moved to exports: gone, grants kept."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("exports", "0001_initial")]
CODENAMES = ("add_export", "change_export", "delete_export", "view_export")


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()


def latest():
    return [MigrationExecutor(connection).loader.graph.leaf_nodes("exports")[0]]


def left_in_reports() -> ContentType:
    """The row as a database migrated before the move has it, with its permissions."""
    stale = ContentType.objects.create(app_label="reports", model="export")
    for codename in CODENAMES:
        Permission.objects.create(content_type=stale, codename=codename, name=codename.replace("_", " "))
    return stale


@pytest.fixture
def before_the_fix():
    migrate(BEFORE)
    yield
    migrate(latest())


def test_the_reports_row_goes_and_its_grants_move_to_the_exports_permissions(before_the_fix):
    stale = left_in_reports()
    auditors = Group.objects.create(name="Auditors")
    auditors.permissions.add(Permission.objects.get(content_type=stale, codename="view_export"))
    clerk = User.objects.create(username="clerk")
    clerk.user_permissions.add(Permission.objects.get(content_type=stale, codename="delete_export"))

    migrate(latest())

    assert not ContentType.objects.filter(app_label="reports", model="export").exists()
    assert not Permission.objects.filter(content_type__app_label="reports").exists()
    assert list(auditors.permissions.values_list("content_type__app_label", "codename")) == [
        ("exports", "view_export")
    ]
    clerk = User.objects.get(pk=clerk.pk)  # a fresh user: permissions are cached on the instance
    assert clerk.has_perm("exports.delete_export") and not clerk.has_perm("reports.delete_export")


def test_without_an_exports_row_yet_the_reports_row_becomes_it(before_the_fix):
    ContentType.objects.filter(app_label="exports", model="export").delete()
    stale = left_in_reports()
    ids = set(Permission.objects.filter(content_type=stale).values_list("pk", flat=True))

    migrate(latest())

    moved = ContentType.objects.get(pk=stale.pk)
    assert (moved.app_label, moved.model) == ("exports", "export")
    assert set(Permission.objects.filter(content_type=moved).values_list("pk", flat=True)) == ids
    assert moved.model_class().__module__ == "timetill.exports.models"
