"""An index on the picture codes' expiry (django-simple-captcha's table, which has none).

Every check of a picture code first deletes the expired ones; without the index that
DELETE reads the whole table, which holds every form shown in the last five minutes.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_account_created_index"),
        ("captcha", "0002_alter_captchastore_id"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS captcha_captchastore_expiration "
            "ON captcha_captchastore (expiration)",
            "DROP INDEX IF EXISTS captcha_captchastore_expiration",
        ),
    ]
