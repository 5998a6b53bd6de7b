"""Client-generated UUIDs, step 3 of 3: required and unique; a new row gets a random one unless the client sends it."""

import uuid

from django.db import migrations, models

MODELS = ["client", "contactperson", "deal", "activity"]


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0028_uuid_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name=name,
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="UUID"),
        )
        for name in MODELS
    ]
