from django.db import migrations, models

import credentials.audit


class Migration(migrations.Migration):
    """Audit details as a message id and parameters; the actions' list leaves the schema.

    `action` takes its choices from the registry each app fills in `ready()`: a new
    action in any app needs no migration here. Rows written before keep their text
    in `detail`; their `detail_data` stays empty and the history shows their action.
    """

    dependencies = [("credentials", "0011_move_api_tokens_state")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="detail_data",
            field=models.JSONField(blank=True, default=dict, verbose_name="detail data"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=credentials.audit.audit_action_choices,
                max_length=64,
                verbose_name="action",
            ),
        ),
    ]
