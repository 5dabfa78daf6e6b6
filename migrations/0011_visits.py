from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('heimbote', '0010_emergency_calls')]

    initial = False

    operations = [
        ops.CreateModel(
            name='VisitClosure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='visit_closures', on_delete=OnDelete.CASCADE)),
                ('unit', fields.ForeignKeyField('heimbote.Unit', source_field='unit_id', null=True, db_constraint=True, to_field='id', related_name='visit_closures', on_delete=OnDelete.CASCADE)),
                ('first_day', fields.DateField()),
                ('last_day', fields.DateField()),
                ('reason', fields.CharField(max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'visit_closure', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'Days without visits (both days included), with the reason families read.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VisitSetup',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.OneToOneField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='visit_setup', on_delete=OnDelete.CASCADE)),
                ('day_list_at', fields.CharField(default='07:30', max_length=5)),
            ],
            options={'table': 'visit_setup', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': "A home's visit settings: when the staff group gets the day's list."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VisitSlot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='visit_slots', on_delete=OnDelete.CASCADE)),
                ('unit', fields.ForeignKeyField('heimbote.Unit', source_field='unit_id', null=True, db_constraint=True, to_field='id', related_name='visit_slots', on_delete=OnDelete.CASCADE)),
                ('weekday', fields.IntField()),
                ('starts', fields.CharField(max_length=5)),
                ('ends', fields.CharField(max_length=5)),
                ('minutes', fields.IntField()),
                ('parties', fields.IntField()),
                ('lead_hours', fields.IntField(default=24)),
                ('days_ahead', fields.IntField(default=14)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'visit_slot', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'A weekly visiting time of a unit (or of the whole home, without a unit).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VisitOccurrence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slot', fields.ForeignKeyField('heimbote.VisitSlot', source_field='slot_id', db_constraint=True, to_field='id', related_name='occurrences', on_delete=OnDelete.CASCADE)),
                ('starts_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('parties', fields.IntField()),
                ('booked', fields.IntField(default=0)),
            ],
            options={'table': 'visit_occurrence', 'app': 'heimbote', 'unique_together': (('slot', 'starts_at'),), 'pk_attr': 'id', 'table_description': 'One dated time of a slot, made when first booked: ``booked`` of ``parties`` taken.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VisitBooking',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('occurrence', fields.ForeignKeyField('heimbote.VisitOccurrence', source_field='occurrence_id', db_constraint=True, to_field='id', related_name='bookings', on_delete=OnDelete.CASCADE)),
                ('relative', fields.ForeignKeyField('heimbote.Account', source_field='relative_id', db_constraint=True, to_field='id', related_name='visit_bookings', on_delete=OnDelete.CASCADE)),
                ('resident', fields.ForeignKeyField('heimbote.Resident', source_field='resident_id', db_constraint=True, to_field='id', related_name='visit_bookings', on_delete=OnDelete.CASCADE)),
                ('people', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_because', fields.CharField(default='', max_length=16)),
            ],
            options={'table': 'visit_booking', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': "A relative's visit to a resident at one occurrence, cancelled ones kept and marked."},
            bases=['Model'],
        ),
    ]
