from django.db import migrations

PROBABILITIES = {
    "goal": 5,
    "market": 5,
    "prospect_list": 5,
    "source": 10,
    "first_contact": 10,
    "meeting_prep": 15,
    "first_meeting": 20,
    "proposal": 30,
    "repeat_meeting": 50,
    "contract": 80,
    "payment": 90,
    "fulfilment": 100,
    "closing": 100,
    "account": 100,
    "lost": 0,
}
LOST_REASONS = ["Цена", "Ушёл к конкуренту", "Нет бюджета", "Нет потребности", "Не удалось связаться", "Сроки поставки"]


def forwards(apps, schema_editor):
    StageProbability = apps.get_model("crm", "StageProbability")
    LostReason = apps.get_model("crm", "LostReason")
    for stage, probability in PROBABILITIES.items():
        StageProbability.objects.get_or_create(stage=stage, defaults={"probability": probability})
    for order, name in enumerate(LOST_REASONS, start=1):
        LostReason.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
