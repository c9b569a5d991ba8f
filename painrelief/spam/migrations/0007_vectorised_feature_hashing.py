"""Rebuild the training examples with the vectorised feature hash (regression.py): the buckets
stored by 0006 and since were made by the keyed BLAKE2b hash and mean nothing to the new one.
The starter corpus and every stored submission a moderator taught the filter are relearned;
spam already purged is not. The fitted models are dropped: the next fit (queued by the next
decision, or `manage.py spam relearn`) scores, the counts until then."""

from django.db import migrations

from painrelief.spam.classifier import relearn_examples


def rebuild_examples(apps, schema_editor):
    FeatureStat = apps.get_model("spam", "FeatureStat")
    TrainingExample = apps.get_model("spam", "TrainingExample")
    if not (FeatureStat.objects.exists() or TrainingExample.objects.exists()):
        return  # nothing learned (0003 was skipped): `manage.py spam reset` learns everything
    relearn_examples(apps, starter_rows=slice(0, 360))  # the rows 0009 had not yet added


class Migration(migrations.Migration):
    dependencies = [
        ("spam", "0006_fitted_classifier"),
        ("comments", "0006_comment_reports"),
        ("questions", "0007_encrypt_public_body"),
    ]

    # No way back: the old hash is gone from the code (`spam relearn` rebuilds with the current).
    operations = [migrations.RunPython(rebuild_examples, migrations.RunPython.noop)]
