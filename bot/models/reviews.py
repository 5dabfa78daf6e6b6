"""Ratings of a care home by verified relatives, the home's replies, and rating invitations."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from bot.domain.enums import ComplaintState, ReviewState
from bot.models.accounts import Account
from bot.models.facilities import Facility


class Review(Model):
    """One rating of a facility by a relative: stars, categories, an optional comment.

    The author is empty after erasure. The pseudonym is random, stable per author and
    facility, and cannot be traced back to the account.
    """

    id = fields.IntField(primary_key=True)
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="reviews", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    author: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name="reviews"
    )
    author_id: int | None  # set by Tortoise
    pseudonym = fields.CharField(max_length=32)
    overall = fields.SmallIntField()
    care = fields.SmallIntField(null=True)
    staff = fields.SmallIntField(null=True)
    food = fields.SmallIntField(null=True)
    activities = fields.SmallIntField(null=True)
    communication = fields.SmallIntField(null=True)
    comment = fields.TextField(default="")
    public = fields.BooleanField(default=True)
    # Whether the home may read the comment of a complaint before it is published.
    share_comment = fields.BooleanField(default=True)
    state = fields.CharEnumField(ReviewState, max_length=24)
    created_at = fields.DatetimeField(auto_now_add=True)
    published_at = fields.DatetimeField(null=True, db_index=True)
    response = fields.TextField(default="")  # the home's answer within the complaint window
    response_at = fields.DatetimeField(null=True)
    complaint_state: ComplaintState | None = fields.CharEnumField(  # type: ignore[assignment]
        ComplaintState, null=True, max_length=16
    )  # nullable: Tortoise's typing cannot say so
    complaint_resolved_at = fields.DatetimeField(null=True)
    window_ends_at = fields.DatetimeField(null=True)
    moderation_note = fields.TextField(default="")

    class Meta:
        table = "review"
        indexes = (("facility_id", "state", "published_at"),)


class ReviewReply(Model):
    """The home's one public reply to a published review, editable for 24 hours."""

    id = fields.IntField(primary_key=True)
    review: fields.OneToOneRelation[Review] = fields.OneToOneField(
        "heimbote.Review", related_name="reply", on_delete=fields.CASCADE
    )
    review_id: int  # set by Tortoise
    author: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", null=True, on_delete=fields.SET_NULL, related_name=False
    )
    author_id: int | None  # set by Tortoise
    text = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    edited_at = fields.DatetimeField(null=True)

    class Meta:
        table = "review_reply"


class RatingInvitation(Model):
    """An invitation to rate sent to a relative: never twice in one rating interval."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "heimbote.Account", related_name="rating_invitations", on_delete=fields.CASCADE
    )
    account_id: int  # set by Tortoise
    facility: fields.ForeignKeyRelation[Facility] = fields.ForeignKeyField(
        "heimbote.Facility", related_name="rating_invitations", on_delete=fields.CASCADE
    )
    facility_id: int  # set by Tortoise
    sent_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "rating_invitation"
