"""Moderation: which comments are held, and the platform moderators' decisions."""

from __future__ import annotations

import pytest

from bot.domain.errors import InvalidInput, NotAllowed
from bot.models import Delivery, Review, ReviewState, StreamEvent
from bot.services.accounts.actors import Actor
from bot.services.reviews import moderation, ratings
from bot.services.reviews.moderation import Decision, Flag, screen
from tests.rating_homes import MODERATOR_ID, rate, sonnenhof

NAMES = ["Frau Margarete M.", "Carla", "Bo", "Herr Ali K."]


@pytest.mark.parametrize("text", [
    "Rufen Sie mich an: 030 1234567",
    "Meine Nummer +49 (171) 123-45-67",
    "0171/1234567 abends",
    "Tel.0301234567",
])
def test_phone_numbers_are_held(text: str) -> None:
    assert Flag.PHONE in screen(text)


@pytest.mark.parametrize("text", [
    "Seit 2019 dort, 24/7 betreut, Zimmer 12 und 13.",
    "Besuch am 01/03/2024 und am 12.03.2024 um 15 Uhr",
    "Ich gebe 5 von 5 Sternen, 100 Prozent zufrieden.",
])
def test_dates_and_small_numbers_are_not_phone_numbers(text: str) -> None:
    assert screen(text, NAMES) == []


def test_e_mail_addresses_and_links_are_held() -> None:
    assert screen("Schreiben Sie an anna.b@example.de") == [Flag.EMAIL]
    assert screen("Mehr auf https://example.org/heim") == [Flag.URL]
    assert screen("siehe www.pflege-vergleich.de") == [Flag.URL]
    assert screen("auf heim-bewertung.com steht mehr") == [Flag.URL]
    assert screen("Das Essen ist gut, z.B. der Kuchen.") == []


def test_names_of_the_homes_people_are_held_as_whole_words() -> None:
    assert screen("Margarete fühlt sich wohl", NAMES) == [Flag.NAME]
    assert screen("Schwester CARLA ist toll", NAMES) == [Flag.NAME]
    assert screen("Carlas Kuchen", NAMES) == []  # not the whole word
    assert screen("Die Frau am Empfang, Herr im Garten", NAMES) == []  # titles are not names
    assert screen("Bo und M. sind Abkürzungen", NAMES) == []  # too short to match
    assert screen("Ali hilft immer", NAMES) == [Flag.NAME]


def test_rude_words_are_held_also_inside_compounds() -> None:
    assert screen("Ein echter Saftladen") == [Flag.PROFANITY]
    assert screen("Der Scheißladen hier") == [Flag.PROFANITY]
    assert screen("what a bullshit place") == [Flag.PROFANITY]
    assert screen("Arbeitsschutz und Sauberkeit") == []  # "arsch" only at a word's start


@pytest.mark.usefixtures("db")
async def test_a_comment_with_a_phone_number_goes_to_the_moderators_not_the_home() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 4, comment="Bitte rufen Sie 0171 1234567 an")

    assert review.state == ReviewState.HELD
    assert review.moderation_note == "phone"
    assert not await StreamEvent.exists()
    held = await Delivery.get(purpose="review_moderation")
    assert held.chat_id == MODERATOR_ID
    assert "0171 1234567" in held.content["text"]
    # The moderator has no account yet: the home's language (German) it is.
    assert [row[0]["text"] for row in held.content["buttons"]] == [
        "Veröffentlichen", "Ohne Kommentar veröffentlichen", "Ablehnen"]
    assert not await Delivery.filter(chat_id=home.carla.telegram_id).exists()


@pytest.mark.usefixtures("db")
async def test_a_names_comment_is_held_only_in_public() -> None:
    home = await sonnenhof()
    private = await rate(home.anna, home.facility, 5, comment="Danke, Carla!", public=False)
    assert private.state == ReviewState.PRIVATE  # the home may read its own staff's name


@pytest.mark.usefixtures("db")
async def test_publish_without_comment_publishes_the_stars_and_tells_the_author() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 4, comment="Carla ist super, 030 1234567")

    decided = await moderation.decide(Actor.of(home.carla, frozenset({home.carla.telegram_id})),
                                      review.id, Decision.WITHOUT_COMMENT)

    assert decided.state == ReviewState.PUBLISHED and decided.comment == ""
    event = await StreamEvent.get(subject=f"review:{review.id}")
    assert event.payload is not None and event.payload["comment"] is None
    told = await Delivery.get(purpose="review_outcome", chat_id=home.anna.telegram_id)
    assert "now published" in told.content["text"]
    assert "comment is left out" in told.content["text"]


@pytest.mark.usefixtures("db")
async def test_only_platform_moderators_decide_and_only_once() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 4, comment="Anrufen: 030 1234567")
    moderator = Actor(home.carla, platform_admin=True)

    with pytest.raises(NotAllowed):  # the home's own admin
        await moderation.decide(home.admin, review.id, Decision.PUBLISH)
    with pytest.raises(NotAllowed):
        await moderation.held_review(home.admin, review.id)
    with pytest.raises(InvalidInput):
        await moderation.decide(moderator, review.id, Decision.REJECT, "because")
    await moderation.decide(moderator, review.id, Decision.PUBLISH)
    with pytest.raises(moderation.AlreadyDecided):
        await moderation.decide(moderator, review.id, Decision.REJECT, "spam")
    assert (await Review.get(id=review.id)).comment == "Anrufen: 030 1234567"


@pytest.mark.usefixtures("db")
async def test_a_rejected_rating_is_not_published_and_the_relative_may_rate_again() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 5, comment="Besucht www.werbung.de")

    await moderation.decide(Actor.cli(), review.id, Decision.REJECT, "spam")

    rejected = await Review.get(id=review.id)
    assert rejected.state == ReviewState.REJECTED
    assert rejected.moderation_note == "url → rejected: spam"
    assert not await StreamEvent.exists()
    told = await Delivery.get(purpose="review_outcome")
    assert "was not published. It is advertising or spam." in told.content["text"]
    await ratings.start(home.anna, home.facility.id)  # not refused


@pytest.mark.usefixtures("db")
async def test_a_held_complaint_reaches_the_home_only_after_moderation() -> None:
    home = await sonnenhof()
    review = await rate(home.anna, home.facility, 1, comment="Niemand ruft zurück: 030 1234567")
    assert not await Delivery.filter(purpose="review_complaint").exists()

    await moderation.decide(Actor.cli(), review.id, Decision.WITHOUT_COMMENT)

    waiting = await Review.get(id=review.id)
    assert waiting.state == ReviewState.AWAITING_RESPONSE and waiting.window_ends_at is not None
    complaint = await Delivery.get(purpose="review_complaint")
    assert complaint.chat_id == home.carla.telegram_id
    assert "030" not in complaint.content["text"]
    told = await Delivery.get(purpose="review_outcome")
    assert "now has time to answer" in told.content["text"]
