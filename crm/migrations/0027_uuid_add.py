"""Client-generated UUIDs (issue 14), step 1 of 3: the column, empty for the rows there are."""

from django.db import migrations, models

MODELS = ["client", "contactperson", "deal", "activity"]


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0026_webhooks"),
    ]

    operations = [
        migrations.AddField(model_name=name, name="uuid", field=models.UUIDField(null=True, editable=False))
        for name in MODELS
    ]
