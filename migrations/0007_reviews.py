from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from bot.models.reviews import ComplaintState, ReviewState
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('heimbote', '0006_conversations')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RatingInvitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('heimbote.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='rating_invitations', on_delete=OnDelete.CASCADE)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='rating_invitations', on_delete=OnDelete.CASCADE)),
                ('sent_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'rating_invitation', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'An invitation to rate sent to a relative: never twice in one rating interval.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Review',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('heimbote.Account', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.SET_NULL)),
                ('pseudonym', fields.CharField(max_length=32)),
                ('overall', fields.SmallIntField()),
                ('care', fields.SmallIntField(null=True)),
                ('staff', fields.SmallIntField(null=True)),
                ('food', fields.SmallIntField(null=True)),
                ('activities', fields.SmallIntField(null=True)),
                ('communication', fields.SmallIntField(null=True)),
                ('comment', fields.TextField(default='', unique=False)),
                ('public', fields.BooleanField(default=True)),
                ('share_comment', fields.BooleanField(default=True)),
                ('state', fields.CharEnumField(description='HELD: held\nAWAITING_RESPONSE: awaiting_response\nPUBLISHED: published\nPRIVATE: private\nREJECTED: rejected\nRETRACTED: retracted', enum_type=ReviewState, max_length=24)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('published_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('response', fields.TextField(default='', unique=False)),
                ('response_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('complaint_state', fields.CharEnumField(null=True, description='OPEN: open\nIN_PROGRESS: in_progress\nRESOLVED: resolved', enum_type=ComplaintState, max_length=16)),
                ('complaint_resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('window_ends_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('moderation_note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'review', 'app': 'heimbote', 'indexes': [Index(fields=['facility_id', 'state', 'published_at'])], 'pk_attr': 'id', 'table_description': 'One rating of a facility by a relative: stars, categories, an optional comment.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReviewReply',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('review', fields.OneToOneField('heimbote.Review', source_field='review_id', db_constraint=True, to_field='id', related_name='reply', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('heimbote.Account', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('text', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('edited_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'review_reply', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': "The home's one public reply to a published review, editable for 24 hours."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StreamEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('seq', fields.IntField(unique=True)),
                ('kind', fields.CharField(max_length=32)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='stream_events', on_delete=OnDelete.RESTRICT)),
                ('facility_slug', fields.CharField(max_length=64)),
                ('subject', fields.CharField(db_index=True, max_length=64)),
                ('payload', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('payload_digest', fields.CharField(max_length=64)),
                ('prev_hash', fields.CharField(max_length=64)),
                ('hash', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'stream_event', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'One event of the public stream. Rows are only ever added (payloads redacted on erasure).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StreamSubscriber',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('url', fields.CharField(max_length=500)),
                ('secret', fields.CharField(max_length=200)),
                ('delivered_seq', fields.IntField(default=0)),
                ('failures', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(default='', unique=False)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'stream_subscriber', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'A review portal that receives every event by HTTP POST, signed with its secret.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Facility',
            name='complaint_window_hours',
            field=fields.IntField(default=72),
        ),
        ops.AddField(
            model_name='Facility',
            name='rating_interval_days',
            field=fields.IntField(default=90),
        ),
        ops.AddField(
            model_name='Facility',
            name='rating_invite_after_days',
            field=fields.IntField(default=14),
        ),
    ]
