from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('heimbote', '0008_retention')]

    initial = False

    operations = [
        ops.CreateModel(
            name='WellbeingConsent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('link', fields.OneToOneField('heimbote.RelativeLink', source_field='link_id', db_constraint=True, to_field='id', related_name='wellbeing', on_delete=OnDelete.CASCADE)),
                ('opted_in', fields.BooleanField(default=False)),
                ('changed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('given_by', fields.ForeignKeyField('heimbote.Account', source_field='given_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('home_enabled', fields.BooleanField(default=True)),
            ],
            options={'table': 'wellbeing_consent', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': "A relative's consent to receive wellbeing notes about one resident, and the home's switch."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WellbeingNote',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='wellbeing_notes', on_delete=OnDelete.CASCADE)),
                ('resident', fields.ForeignKeyField('heimbote.Resident', source_field='resident_id', db_constraint=True, to_field='id', related_name='wellbeing_notes', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('heimbote.Account', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('author_role', fields.CharField(default='', max_length=16)),
                ('mood', fields.CharField(default='', max_length=8)),
                ('appetite', fields.CharField(default='', max_length=8)),
                ('activity', fields.CharField(default='', max_length=64)),
                ('text', fields.TextField(default='', unique=False)),
                ('text_locale', fields.CharField(default='', max_length=16)),
                ('day', fields.DateField()),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'wellbeing_note', 'app': 'heimbote', 'indexes': [Index(fields=['resident_id', 'day'])], 'pk_attr': 'id', 'table_description': "One staff member's note about a resident's day."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WellbeingReader',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('heimbote.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='wellbeing_reader', on_delete=OnDelete.CASCADE)),
                ('digest_at', fields.TimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'wellbeing_reader', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': "When a relative wants the evening digest (the home's local time)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WellbeingResident',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('resident', fields.OneToOneField('heimbote.Resident', source_field='resident_id', db_constraint=True, to_field='id', related_name='wellbeing', on_delete=OnDelete.CASCADE)),
                ('notes_enabled', fields.BooleanField(default=True)),
            ],
            options={'table': 'wellbeing_resident', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'A resident for whom the home switched wellbeing notes off.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WellbeingSetup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.OneToOneField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='wellbeing_setup', on_delete=OnDelete.CASCADE)),
                ('notes_enabled', fields.BooleanField(default=True)),
                ('activities', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'wellbeing_setup', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': "A home's settings for wellbeing notes: on or off, and its list of activities."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WellbeingWriter',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('heimbote.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='wellbeing_writer', on_delete=OnDelete.CASCADE)),
                ('unit', fields.ForeignKeyField('heimbote.Unit', source_field='unit_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'wellbeing_writer', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': "A staff member's own unit: its residents come first in their /today picker."},
            bases=['Model'],
        ),
    ]
