from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('heimbote', '0007_reviews')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Facility',
            name='conversation_retention_days',
            field=fields.IntField(default=365),
        ),
        # Wrong invite codes are now kept by Telegram id, not by account (an erasure must not
        # lift the lock). The old rows only mattered for their hour: the table is made anew
        # (dropping the foreign key column in place leaves it behind on SQLite).
        ops.DeleteModel(name='FailedInviteAttempt'),
        ops.CreateModel(
            name='FailedInviteAttempt',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('telegram_id', fields.BigIntField(db_index=True)),
                ('attempted_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'failed_invite_attempt', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'A wrong code typed by a Telegram user, kept an hour for the brute-force lock.'},
            bases=['Model'],
        ),
    ]
