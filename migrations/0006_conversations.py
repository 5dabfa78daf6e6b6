from tortoise import migrations
from tortoise.migrations import operations as ops
from bot.models.conversations import Direction, MessageKind, ThreadState
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('heimbote', '0005_photo_updates')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ConversationSetup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.OneToOneField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='conversation_setup', on_delete=OnDelete.CASCADE)),
                ('group_chat_id', fields.BigIntField(null=True, unique=True)),
                ('group_title', fields.CharField(default='', max_length=255)),
                ('group_is_forum', fields.BooleanField(default=False)),
                ('group_linked_by', fields.ForeignKeyField('heimbote.Account', source_field='group_linked_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('group_linked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reminder_hours', fields.IntField(default=4)),
                ('escalation_hours', fields.IntField(default=24)),
            ],
            options={'table': 'conversation_setup', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': "How one facility receives relatives' messages: its staff group and reminder times."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Thread',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='threads', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('relative', fields.ForeignKeyField('heimbote.Account', source_field='relative_id', db_constraint=True, to_field='id', related_name='threads', on_delete=OnDelete.CASCADE)),
                ('resident', fields.ForeignKeyField('heimbote.Resident', source_field='resident_id', db_constraint=True, to_field='id', related_name='threads', on_delete=OnDelete.CASCADE)),
                ('state', fields.CharEnumField(default=ThreadState.OPEN, description='OPEN: open\nANSWERED: answered\nCLOSED: closed', enum_type=ThreadState, max_length=16)),
                ('forum_chat_id', fields.BigIntField(null=True)),
                ('forum_topic_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('first_response_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_relative_message_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('waiting_since', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('reminded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('escalated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_by', fields.ForeignKeyField('heimbote.Account', source_field='closed_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'thread', 'app': 'heimbote', 'unique_together': (('facility', 'number'),), 'pk_attr': 'id', 'table_description': "A relative's conversation with a facility about one resident."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ThreadMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('thread', fields.ForeignKeyField('heimbote.Thread', source_field='thread_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('direction', fields.CharEnumField(description='IN: in\nOUT: out', enum_type=Direction, max_length=8)),
                ('author', fields.ForeignKeyField('heimbote.Account', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharEnumField(default=MessageKind.TEXT, description='TEXT: text\nPHOTO: photo\nVOICE: voice', enum_type=MessageKind, max_length=8)),
                ('text', fields.TextField(default='', unique=False)),
                ('file_id', fields.CharField(null=True, max_length=256)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'thread_message', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'One message in a thread: from the relative (in) or from a staff member (out).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RelayedMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('thread', fields.ForeignKeyField('heimbote.Thread', source_field='thread_id', db_constraint=True, to_field='id', related_name='relayed', on_delete=OnDelete.CASCADE)),
                ('thread_message', fields.ForeignKeyField('heimbote.ThreadMessage', source_field='thread_message_id', null=True, db_constraint=True, to_field='id', related_name='relayed', on_delete=OnDelete.CASCADE)),
                ('chat_id', fields.BigIntField()),
                ('message_id', fields.BigIntField()),
            ],
            options={'table': 'relayed_message', 'app': 'heimbote', 'unique_together': (('chat_id', 'message_id'),), 'pk_attr': 'id', 'table_description': 'A message the bot sent about a thread, in some chat: a reply to it finds the thread.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='StaffRole',
            name='inbox',
            field=fields.BooleanField(default=False),
        ),
    ]
