from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from bot.models.announcements import AnnouncementState, Audience
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('heimbote', '0003_outbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Announcement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='announcements', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('heimbote.Account', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('audience', fields.CharEnumField(default=Audience.RELATIVES, description='RELATIVES: relatives\nUNIT: unit\nSTAFF: staff', enum_type=Audience, max_length=16)),
                ('unit', fields.ForeignKeyField('heimbote.Unit', source_field='unit_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('texts', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('default_locale', fields.CharField(default='de', max_length=16)),
                ('photo_file_id', fields.CharField(null=True, max_length=256)),
                ('urgent', fields.BooleanField(default=False)),
                ('send_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('state', fields.CharEnumField(default=AnnouncementState.DRAFT, description='DRAFT: draft\nSCHEDULED: scheduled\nSENDING: sending\nDONE: done\nCANCELLED: cancelled', enum_type=AnnouncementState, max_length=16)),
                ('recipients', fields.IntField(default=0)),
                ('progress_chat_id', fields.BigIntField(null=True)),
                ('progress_message_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'announcement', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'One broadcast: its texts per language, audience, urgency and time.'},
            bases=['Model'],
        ),
    ]
