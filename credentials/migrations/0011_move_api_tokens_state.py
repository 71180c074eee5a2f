"""API tokens moved to the wallet app, beside the user model.

Only Django's picture of the models changes here: the table stays as it is
(`credentials_apitoken`) and the wallet app's migration 0005 adopts it, so no row moves.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0010_issuer_identity_codes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiToken")],
            database_operations=[],
        ),
    ]
