"""Trigram indexes for the top bar's search (crm/selectors/search.py), on PostgreSQL only.

pg_trgm's GIN indexes serve `LIKE '%term%'` and `UPPER(x) LIKE UPPER('%term%')` (Django's `contains` and
`icontains`), so a name fragment, an INN fragment or a phone's digits stay fast at 100 000 clients. They are written
as SQL guarded by the database vendor, not as `Meta.indexes`: on SQLite (`make run`) there is no trigram index, and a
`GinIndex` in the model state would break every later SQLite table rebuild of these tables.
"""

from django.db import migrations

# (index, table, indexed expression)
INDEXES = [
    ("client_name_trgm", "crm_client", "normalized_name"),
    ("client_inn_trgm", "crm_client", "inn"),
    ("client_phone_trgm", "crm_client", "phone"),
    ("client_phone_extra_trgm", "crm_client", "phone_extra"),
    ("contact_name_trgm", "crm_contactperson", "UPPER(full_name)"),
    ("contact_phone_trgm", "crm_contactperson", "phone"),
    ("contact_mobile_trgm", "crm_contactperson", "mobile"),
    ("deal_title_trgm", "crm_deal", "UPPER(title)"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: something else may use it, and it costs nothing.
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("crm", "0020_import_checking")]

    # RunPython rather than TrigramExtension: Django's CreateExtension checks the vendor going forwards only, so
    # unapplying it on SQLite would query pg_extension.
    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
