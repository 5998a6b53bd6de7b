"""Client-generated UUIDs, step 2 of 3: a random (version 4) UUID for every existing row."""

import uuid

from django.db import migrations

MODELS = ["Client", "ContactPerson", "Deal", "Activity"]
BATCH = 2000


def fill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("crm", name)
        if schema_editor.connection.vendor == "postgresql":
            # One statement, however many rows (gen_random_uuid() is a version 4 UUID, built in since PostgreSQL 13).
            schema_editor.execute(f"UPDATE {model._meta.db_table} SET uuid = gen_random_uuid() WHERE uuid IS NULL")
            continue
        ids = list(model.objects.filter(uuid__isnull=True).values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            rows = [model(pk=pk, uuid=uuid.uuid4()) for pk in ids[start : start + BATCH]]
            model.objects.bulk_update(rows, ["uuid"])


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0027_uuid_add"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
