"""Time zones: the model's choices become a callable (accounts.time_zones.time_zone_choices: Russia first,
canonical zones only, labelled in the reader's language), so a tzdata update needs no migration; people who
had chosen a legacy alias (Europe/Kiev, Africa/Asmera) get the zone it stands for. An id with no offered
equivalent (Etc/GMT+3) is kept: it still works, and the profile form asks for a zone from the list."""

from django.db import migrations, models

import accounts.time_zones


def aliases_to_canonical(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    offered = accounts.time_zones.offered_zones()
    for zone in User.objects.exclude(time_zone__in=offered).values_list("time_zone", flat=True).distinct():
        canonical = accounts.time_zones.canonical_zone(zone)
        if canonical:
            User.objects.filter(time_zone=zone).update(time_zone=canonical)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_names_invitations_access_requests"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="time_zone",
            field=models.CharField(
                choices=accounts.time_zones.time_zone_choices,
                default="Europe/Moscow",
                max_length=64,
                verbose_name="time zone",
            ),
        ),
        migrations.RunPython(aliases_to_canonical, migrations.RunPython.noop),
    ]
