from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from bot.models.facilities import ConsentGiver, PhotoConsent, ResidentStatus, Role
from bot.models.invites import InviteKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('heimbote', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AwaitedInput',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.OneToOneField('heimbote.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='awaited_input', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=32)),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'awaited_input', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': "What the bot waits for an account to type next (a resident's name, a comment…)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Facility',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('timezone', fields.CharField(default='Europe/Berlin', max_length=64)),
                ('default_locale', fields.CharField(default='de', max_length=16)),
                ('contact', fields.TextField(default='', unique=False)),
                ('relatives_may_invite', fields.BooleanField(default=False)),
                ('max_relatives_per_resident', fields.IntField(default=5)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'facility', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'One care home: everything is scoped to one.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', null=True, db_constraint=True, to_field='id', related_name='audit_entries', on_delete=OnDelete.SET_NULL)),
                ('actor', fields.ForeignKeyField('heimbote.Account', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('via', fields.CharField(default='telegram', max_length=16)),
                ('action', fields.CharField(max_length=64)),
                ('subject', fields.CharField(default='', max_length=64)),
                ('details', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'audit_entry', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'Who did what, when, in which facility. The actor is empty for the command line.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FailedInviteAttempt',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('heimbote.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='failed_invite_attempts', on_delete=OnDelete.CASCADE)),
                ('attempted_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'failed_invite_attempt', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'A wrong code typed by an account, kept an hour for the brute-force lock.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StaffRole',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('heimbote.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='staff_roles', on_delete=OnDelete.CASCADE)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='staff_roles', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharEnumField(description='STAFF: staff\nAPPROVER: approver\nADMIN: admin', enum_type=Role, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'staff_role', 'app': 'heimbote', 'unique_together': (('account', 'facility'),), 'pk_attr': 'id', 'table_description': "An account's role in one facility."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Unit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='units', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=100)),
            ],
            options={'table': 'unit', 'app': 'heimbote', 'unique_together': (('facility', 'name'),), 'pk_attr': 'id', 'table_description': 'A ward or floor (Wohnbereich), for targeting announcements.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Resident',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='residents', on_delete=OnDelete.CASCADE)),
                ('unit', fields.ForeignKeyField('heimbote.Unit', source_field='unit_id', null=True, db_constraint=True, to_field='id', related_name='residents', on_delete=OnDelete.SET_NULL)),
                ('display_name', fields.CharField(max_length=100)),
                ('room', fields.CharField(default='', max_length=32)),
                ('status', fields.CharEnumField(default=ResidentStatus.ACTIVE, description='ACTIVE: active\nMOVED_OUT: moved_out\nDECEASED: deceased', enum_type=ResidentStatus, max_length=16)),
                ('photo_consent', fields.CharEnumField(default=PhotoConsent.NONE, description='NONE: none\nGRANTED: granted\nWITHDRAWN: withdrawn', enum_type=PhotoConsent, max_length=16)),
                ('consent_given_by', fields.CharEnumField(null=True, description='RESIDENT: resident\nREPRESENTATIVE: representative\nPROXY: proxy', enum_type=ConsentGiver, max_length=16)),
                ('consent_changed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('consent_recorded_by', fields.ForeignKeyField('heimbote.Account', source_field='consent_recorded_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'resident', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'The person cared for, with minimal data: display name, room, unit, photo consent.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Invite',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code_hash', fields.CharField(unique=True, max_length=64)),
                ('kind', fields.CharEnumField(description='RELATIVE: relative\nSTAFF: staff', enum_type=InviteKind, max_length=16)),
                ('facility', fields.ForeignKeyField('heimbote.Facility', source_field='facility_id', db_constraint=True, to_field='id', related_name='invites', on_delete=OnDelete.CASCADE)),
                ('resident', fields.ForeignKeyField('heimbote.Resident', source_field='resident_id', null=True, db_constraint=True, to_field='id', related_name='invites', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharEnumField(null=True, description='STAFF: staff\nAPPROVER: approver\nADMIN: admin', enum_type=Role, max_length=16)),
                ('max_uses', fields.IntField(default=1)),
                ('uses', fields.IntField(default=0)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_by', fields.ForeignKeyField('heimbote.Account', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'invite', 'app': 'heimbote', 'pk_attr': 'id', 'table_description': 'An invitation code, stored only as its hash, for a relative or for a staff role.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RelativeLink',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('heimbote.Account', source_field='account_id', db_constraint=True, to_field='id', related_name='relative_links', on_delete=OnDelete.CASCADE)),
                ('resident', fields.ForeignKeyField('heimbote.Resident', source_field='resident_id', db_constraint=True, to_field='id', related_name='relative_links', on_delete=OnDelete.CASCADE)),
                ('relation', fields.CharField(default='', max_length=64)),
                ('photo_updates', fields.BooleanField(default=True)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'relative_link', 'app': 'heimbote', 'unique_together': (('account', 'resident'),), 'pk_attr': 'id', 'table_description': "A relative's account linked to one resident."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Account',
            name='pending_invite',
            field=fields.ForeignKeyField('heimbote.Invite', source_field='pending_invite_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Account',
            name='privacy_accepted_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Account',
            name='quiet_from',
            field=fields.TimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Account',
            name='quiet_until',
            field=fields.TimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Account',
            name='unreachable',
            field=fields.BooleanField(default=False),
        ),
    ]
