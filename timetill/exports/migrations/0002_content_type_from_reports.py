# The Export model moved here from the reports app (0001) but Django's content type row for it stayed
# (app_label "reports", model "export"), with its four permissions and whoever was granted them. This moves
# them to the model's app: the row itself when the exports app has none yet, else each group's and user's
# grants onto the exports app's permission of the same codename, and then the reports row goes, with its
# permissions.

from django.db import migrations


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label="reports", model="export").first()
    if old is None:
        return
    new = ContentType.objects.using(db).filter(app_label="exports", model="export").first()
    if new is None:
        old.app_label = "exports"
        old.save(update_fields=["app_label"])
        return
    for permission in Permission.objects.using(db).filter(content_type=old):
        same, _ = Permission.objects.using(db).get_or_create(
            content_type=new, codename=permission.codename, defaults={"name": permission.name}
        )
        for through, owner in (
            (Group.permissions.through, "group_id"),
            (User.user_permissions.through, "user_id"),
        ):
            granted = through.objects.using(db).filter(permission=permission).values_list(owner, flat=True)
            already = set(through.objects.using(db).filter(permission=same).values_list(owner, flat=True))
            through.objects.using(db).bulk_create(
                through(**{owner: pk, "permission_id": same.pk}) for pk in granted if pk not in already
            )
    old.delete()  # its permissions and their grants with it


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_initial"),
        ("reports", "0002_export_moves_to_exports"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(move_content_type, migrations.RunPython.noop)]
