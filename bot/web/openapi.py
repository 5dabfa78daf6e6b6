"""``GET /openapi.json``: the public API described as OpenAPI 3.1, push deliveries included."""

from __future__ import annotations

from typing import Any

from bot.services.stream.events import CATEGORIES, KINDS

_STRING = {"type": "string"}
_INT = {"type": "integer"}
_NULLABLE_NUMBER = {"type": ["number", "null"]}
_HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_MOMENT = {"type": "string", "format": "date-time", "examples": ["2026-05-01T09:30:00Z"]}
_NEXT = {"type": ["string", "null"], "description": "Path of the next page; null on the last."}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object", "properties": properties, "required": list(properties),
    }
    if description:
        schema["description"] = description
    return schema


def _schemas() -> dict[str, Any]:
    stars = {"type": "integer", "minimum": 1, "maximum": 5}
    reply = _object({
        "review_id": _INT, "text": _STRING, "created_at": _MOMENT,
        "edited_at": {**_MOMENT, "type": ["string", "null"]},
    }, "The home's public reply.")
    return {
        "Error": _object({"error": _STRING, "detail": _STRING}),
        "Reply": reply,
        "Review": _object({
            "review_id": _INT,
            "facility": _STRING,
            "overall": stars,
            "categories": {
                "type": "object",
                "properties": {name: stars for name in CATEGORIES},
                "description": "Only the categories the relative rated.",
            },
            "comment": {"type": ["string", "null"]},
            "reviewer": {**_STRING, "description": "Pseudonym, stable per relative and home."},
            "verified_relative": {"const": True},
            "published_at": _MOMENT,
            "response": {
                "type": ["string", "null"],
                "description": "The home's answer within the response window (ratings ≤ 2).",
            },
            "reply": {"oneOf": [_ref("Reply"), {"type": "null"}]},
        }),
        "StreamEvent": _object({
            "seq": {"type": "integer", "minimum": 1},
            "kind": {"enum": list(KINDS)},
            "facility": _STRING,
            "subject": {**_STRING, "examples": ["review:12"]},
            "created_at": _MOMENT,
            "payload": {
                "type": ["object", "null"],
                "description": "Review, Reply or {review_id}; null once redacted (erasure).",
            },
            "payload_digest": {**_HEX64, "description": "sha256(canonical(payload))"},
            "prev_hash": _HEX64,
            "hash": {**_HEX64, "description": (
                "sha256(canonical({seq, kind, facility, subject, created_at, payload_digest,"
                " prev_hash})); canonical = JSON, keys sorted, no whitespace, UTF-8."
            )},
        }),
        "StreamPage": _object({
            "events": {"type": "array", "items": _ref("StreamEvent")},
            "head": {**_INT, "description": "The newest seq."},
            "next": _NEXT,
        }),
        "FacilitySummary": _object({
            "slug": _STRING, "name": _STRING, "review_count": _INT,
            "mean_overall": _NULLABLE_NUMBER, "url": _STRING,
        }),
        "FacilityList": _object({
            "facilities": {"type": "array", "items": _ref("FacilitySummary")}, "next": _NEXT,
        }),
        "FacilityFigures": _object({
            "slug": _STRING, "name": _STRING, "review_count": _INT,
            "mean_overall": _NULLABLE_NUMBER,
            "categories": {"type": "object", "additionalProperties": _object(
                {"mean": _NULLABLE_NUMBER, "count": _INT})},
            "distribution": {"type": "object", "additionalProperties": _INT,
                             "description": "Stars (\"5\" … \"1\") → reviews."},
            "months": {"type": "array", "items": _object(
                {"month": _STRING, "count": _INT, "mean": _NULLABLE_NUMBER})},
            "links": {"type": "object", "additionalProperties": _STRING},
        }, "Retracted reviews keep their stars in these figures."),
        "ReviewPage": _object({
            "reviews": {"type": "array", "items": _ref("Review")}, "next": _NEXT,
        }),
    }


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


_SLUG = {"name": "slug", "in": "path", "required": True, "schema": _STRING}
_CURSOR = _query("cursor", "Opaque; from the previous page's `next`.", _STRING)


def _limit(default: int, maximum: int) -> dict[str, Any]:
    return _query("limit", "Items per page.",
                  {"type": "integer", "minimum": 1, "maximum": maximum, "default": default})


def _get(summary: str, schema: str, parameters: list[dict[str, Any]],
         found: bool = False) -> dict[str, Any]:
    cached = {"ETag": {"schema": _STRING}, "Cache-Control": {"schema": _STRING}}
    responses: dict[str, Any] = {
        "200": {"description": "OK", "headers": cached,
                "content": {"application/json": {"schema": _ref(schema)}}},
        "304": {"description": "Not modified (If-None-Match named the current ETag)."},
        "400": {"description": "A bad parameter.",
                "content": {"application/json": {"schema": _ref("Error")}}},
    }
    if found:
        responses["404"] = {"description": "No such facility.",
                            "content": {"application/json": {"schema": _ref("Error")}}}
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


_LANG = _query("lang", "Language (else Accept-Language).", {"enum": ["de", "en"]})


def _document(summary: str, media_type: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    cached = {"ETag": {"schema": _STRING}, "Cache-Control": {"schema": _STRING}}
    return {"get": {"summary": summary, "parameters": parameters, "responses": {
        "200": {"description": "OK", "headers": cached,
                "content": {media_type: {"schema": _STRING}}},
        "304": {"description": "Not modified (If-None-Match named the current ETag)."},
    }}}


def openapi_document(base_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document, with ``base_url`` as the server."""
    after = _query("after", "Events with a greater seq.", {"type": "integer", "minimum": 0})
    live = {"get": {
        "summary": "New events as Server-Sent Events (id = seq, event = kind, data = event).",
        "parameters": [after, {"name": "Last-Event-ID", "in": "header", "required": False,
                               "schema": _STRING, "description": "Resume after this seq."}],
        "responses": {"200": {"description": "text/event-stream",
                              "content": {"text/event-stream": {"schema": _STRING}}},
                      "400": {"description": "A bad parameter.",
                              "content": {"application/json": {"schema": _ref("Error")}}}},
    }}
    push = {"post": {
        "summary": "Push delivery to a subscribed portal: a batch of events, in order.",
        "parameters": [
            {"name": "X-Heimbote-Timestamp", "in": "header", "required": True,
             "schema": _STRING, "description": "When the batch was signed, in Unix seconds."},
            {"name": "X-Heimbote-Signature", "in": "header", "required": True,
             "schema": _STRING,
             "description": "sha256=<hex HMAC-SHA256 of timestamp + '.' + the raw body, "
                            "key = secret>"},
        ],
        "requestBody": {"content": {"application/json": {"schema": _object(
            {"events": {"type": "array", "items": _ref("StreamEvent")}})}}},
        "responses": {"2XX": {"description": "Accepted; anything else is retried."}},
    }}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Heimbote public reviews",
            "version": "1",
            "description": "Verified relatives' reviews of care homes, and the append-only, "
                           "hash-chained stream they are published in.",
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/api/v1/stream": _get("The stream, in order of seq.", "StreamPage",
                                   [after, _limit(100, 1000)]),
            "/api/v1/stream/live": live,
            "/api/v1/facilities": _get("Facilities with count and mean.", "FacilityList",
                                       [_CURSOR, _limit(50, 200)]),
            "/api/v1/facilities/{slug}": _get(
                "A facility's figures.", "FacilityFigures", [_SLUG], found=True),
            "/api/v1/facilities/{slug}/reviews": _get(
                "Published reviews, newest first.", "ReviewPage",
                [_SLUG, _CURSOR, _limit(20, 100)], found=True),
            "/facilities/{slug}": _document(
                "The review page (HTML, no JavaScript needed).", "text/html",
                [_SLUG, _LANG, _CURSOR]),
            "/facilities/{slug}/feed.atom": _document(
                "The newest reviews as an Atom feed.", "application/atom+xml", [_SLUG, _LANG]),
            "/facilities/{slug}/events.ics": _document(
                "The home's public events as an iCalendar feed (RFC 5545).", "text/calendar",
                [_SLUG]),
            "/openapi.json": _document("This document.", "application/json", []),
        },
        "webhooks": {"streamEvents": push},
        "components": {"schemas": _schemas()},
    }
