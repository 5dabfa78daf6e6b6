from tortoise import migrations
from tortoise.migrations import operations as ops
from bot.domain.enums import EventAudience
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('heimbote', '0011_visits')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Event',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('starts_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('place', fields.CharField(default='', max_length=200)),
                ('audience', fields.CharEnumField(default=EventAudience.RELATIVES, description='RESIDENTS: residents\nRELATIVES: relatives', enum_type=EventAudience, max_length=16)),
                ('capacity', fields.IntField()),
                ('taken', fields.IntField(default=0)),
                ('signup_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('public', fields.BooleanField(default=False)),
                ('sequence', fields.IntField(default=0)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('changed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'event', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'One event of a facility, with its places and sign-up deadline (times in UTC).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EventSignup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('heimbote.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='signups', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('heimbote.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='event_signups', on_delete=OnDelete.CASCADE)),
                ('people', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'event_signup', 'app': 'heimbote', 'unique_together': (('event', 'account'),), 'pk_attr': 'id', 'table_description': 'A relative signed up for an event, with how many people come in all (with them).'},
            bases=['Model'],
        ),
    ]
