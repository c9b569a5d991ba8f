# The private columns become text holding ciphertext (0006 encrypts the rows already there);
# the address is looked up by its keyed hash, indexed, instead of the address itself.

import painrelief.encryption
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0004_submission_key"),
        # It re-renders answers it finds by a lookup on `answer`: before that is ciphertext.
        ("articles", "0004_click_to_load_videos"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="question",
            name="question_email",
        ),
        migrations.AddField(
            model_name="question",
            name="email_digest",
            field=painrelief.encryption.EmailDigestField(),
        ),
        migrations.AlterField(
            model_name="question",
            name="answer",
            field=painrelief.encryption.EncryptedTextField(
                blank=True,
                help_text="Markdown, with a live preview. Saved as a draft until you publish it.",
                verbose_name="answer",
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="answer_html",
            field=painrelief.encryption.EncryptedTextField(default="", editable=False),
        ),
        migrations.AlterField(
            model_name="question",
            name="body",
            field=painrelief.encryption.EncryptedTextField(verbose_name="the case"),
        ),
        migrations.AlterField(
            model_name="question",
            name="consent_text",
            field=painrelief.encryption.EncryptedTextField(blank=True, editable=False),
        ),
        migrations.AlterField(
            model_name="question",
            name="decline_message",
            field=painrelief.encryption.EncryptedTextField(
                blank=True, verbose_name="message when declining"
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="email",
            field=painrelief.encryption.EncryptedEmailField(max_length=254, verbose_name="email"),
        ),
        migrations.AlterField(
            model_name="question",
            name="internal_notes",
            field=painrelief.encryption.EncryptedTextField(
                blank=True,
                help_text="Only for the coach; never shown or sent.",
                verbose_name="internal notes",
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="ip_address",
            field=painrelief.encryption.EncryptedGenericIPAddressField(
                blank=True, editable=False, null=True, verbose_name="IP address"
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="name",
            field=painrelief.encryption.EncryptedCharField(
                max_length=60, verbose_name="name to show"
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="user_agent",
            field=painrelief.encryption.EncryptedCharField(
                blank=True, editable=False, max_length=300, verbose_name="browser"
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=models.Index(fields=["email_digest"], name="question_email_digest"),
        ),
    ]
