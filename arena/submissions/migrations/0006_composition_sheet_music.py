# The sheet music's field is `sheet_music`: "score" names composer's Score grid. Its URLs and API
# keys still say "score".

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0005_composition_audio_compressed"),
    ]

    operations = [
        migrations.RenameField(model_name="composition", old_name="score", new_name="sheet_music"),
    ]
