# A judge's marks are a Rating: "score" already names composer's Score grid and the sheet music.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel(old_name="Score", new_name="Rating"),
        migrations.AlterField(
            model_name="rating",
            name="assignment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="ratings",
                to="judging.judgeassignment",
            ),
        ),
        migrations.AlterField(
            model_name="rating",
            name="entry",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="ratings",
                to="submissions.composition",
            ),
        ),
    ]
