from tortoise import migrations
from tortoise.migrations import operations as ops
from bot.models.emergency_calls import CallAnswer, CallReason
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('heimbote', '0009_wellbeing')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EmergencyCall',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='emergency_calls', on_delete=OnDelete.CASCADE)),
                ('resident', fields.ForeignKeyField('heimbote.Resident', source_field='resident_id', db_constraint=True, to_field='id', related_name='emergency_calls', on_delete=OnDelete.CASCADE)),
                ('sender', fields.ForeignKeyField('heimbote.Account', source_field='sender_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('reason', fields.CharEnumField(description='CALL: call\nCOME: come', enum_type=CallReason, max_length=8)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('sends', fields.IntField(default=0)),
                ('next_send_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('acknowledged_by', fields.ForeignKeyField('heimbote.Account', source_field='acknowledged_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('acknowledged_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('answer', fields.CharEnumField(null=True, description='CALL: call\nCOME: come', enum_type=CallAnswer, max_length=8)),
                ('overdue_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'emergency_call', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'One urgent alert about one resident, its repeats and its acknowledgement.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='RelativeLink',
            name='emergency_contact',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='Delivery',
            name='priority',
            field=fields.SmallIntField(default=0, db_default=0),
        ),
    ]
