"""Create the database cache's table wherever settings use one.

Without Redis the site keeps rate limits and page caches in the database
(`config/settings.py`), so the table must exist as soon as the schema does: `migrate`
alone leaves a working site. `createcachetable` skips tables that exist already.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("credentials", "0012_structured_audit")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
