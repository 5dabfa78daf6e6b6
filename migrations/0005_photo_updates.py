from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from bot.models.photo_updates import PhotoUpdateState, RejectReason
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('heimbote', '0004_announcements')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PhotoUpdate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='photo_updates', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('heimbote.Account', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('state', fields.CharEnumField(default=PhotoUpdateState.DRAFT, db_index=True, description='DRAFT: draft\nPENDING: pending\nAPPROVED: approved\nREJECTED: rejected\nRECALLED: recalled\nCLOSED: closed', enum_type=PhotoUpdateState, max_length=16)),
                ('file_ids', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('media_group_id', fields.CharField(null=True, max_length=64)),
                ('caption', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decided_by', fields.ForeignKeyField('heimbote.Account', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('reject_reason', fields.CharEnumField(null=True, description='CONSENT: consent\nDIGNITY: dignity\nQUALITY: quality\nOTHER: other', enum_type=RejectReason, max_length=16)),
                ('reject_note', fields.TextField(default='', unique=False)),
                ('recalled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'photo_update', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'One to ten photos with a caption about residents of one facility.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PhotoTag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('update', fields.ForeignKeyField('heimbote.PhotoUpdate', source_field='update_id', db_constraint=True, to_field='id', related_name='tags', on_delete=OnDelete.CASCADE)),
                ('resident', fields.ForeignKeyField('heimbote.Resident', source_field='resident_id', db_constraint=True, to_field='id', related_name='photo_tags', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'photo_tag', 'app': 'heimbote', 'unique_together': (('update', 'resident'),), 'pk_attr': 'id', 'table_description': 'A resident who is in a photo update.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PhotoThanks',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('update', fields.ForeignKeyField('heimbote.PhotoUpdate', source_field='update_id', db_constraint=True, to_field='id', related_name='thanks', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('heimbote.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='photo_thanks', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'photo_thanks', 'app': 'heimbote', 'unique_together': (('update', 'account'),), 'pk_attr': 'id', 'table_description': "A relative's thank-you for a photo update, one per relative."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Facility',
            name='four_eyes',
            field=fields.BooleanField(default=True),
        ),
        ops.AddField(
            model_name='Facility',
            name='photo_retention_days',
            field=fields.IntField(default=180),
        ),
    ]
