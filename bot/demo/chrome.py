"""The page's own words (not the bot's: the bot speaks through its catalogs), in en and de.

Kept here rather than in the bot's catalogs: translators of the bot need not see them, and
the page is a developer's and trainer's tool.
"""

from __future__ import annotations

LANGUAGES = ("en", "de")

CHROME: dict[str, dict[str, str]] = {
    "title": {"en": "Heimbote demo", "de": "Heimbote-Demo"},
    "subtitle": {
        "en": "The real bot, a stand-in for Telegram, no internet needed.",
        "de": "Der echte Bot, ein Telegram-Ersatz, ohne Internet.",
    },
    "personas": {"en": "Play as", "de": "Spielen als"},
    "anna_role": {"en": "relative of Frau M.", "de": "Angehörige von Frau M."},
    "ben_role": {"en": "care staff", "de": "Pflegekraft"},
    "carla_role": {"en": "approver and admin", "de": "Freigabe und Leitung"},
    "team_role": {"en": "staff group", "de": "Team-Gruppe"},
    "mira_role": {"en": "platform moderator", "de": "Moderation der Plattform"},
    "bot_status": {"en": "bot", "de": "Bot"},
    "message_label": {"en": "Message", "de": "Nachricht"},
    "message_placeholder": {"en": "Message or /command", "de": "Nachricht oder /Befehl"},
    "send": {"en": "Send", "de": "Senden"},
    "attach": {"en": "Send a photo", "de": "Foto senden"},
    "samples": {"en": "Sample photos", "de": "Beispielfotos"},
    "samples_hint": {
        "en": "Pick one photo, or several for an album.",
        "de": "Ein Foto wählen, oder mehrere für ein Album.",
    },
    "send_photos": {"en": "Send selected", "de": "Ausgewählte senden"},
    "upload": {"en": "Upload your own", "de": "Eigenes hochladen"},
    "caption_label": {"en": "Caption (optional)", "de": "Bildunterschrift (optional)"},
    "cancel": {"en": "Cancel", "de": "Abbrechen"},
    "reply": {"en": "Reply", "de": "Antworten"},
    "replying_to": {"en": "Replying to", "de": "Antwort auf"},
    "speaking_as": {"en": "Writing as", "de": "Schreiben als"},
    "edited": {"en": "edited", "de": "bearbeitet"},
    "download": {"en": "Download", "de": "Herunterladen"},
    "empty_chat": {
        "en": "No messages yet. Follow the tour on the right.",
        "de": "Noch keine Nachrichten. Folgen Sie der Tour rechts.",
    },
    "empty_chat_below": {  # on a phone the tour is below the chat
        "en": "No messages yet. Follow the tour below the chat.",
        "de": "Noch keine Nachrichten. Folgen Sie der Tour unter dem Chat.",
    },
    "ok": {"en": "OK", "de": "OK"},
    "tour": {"en": "Guided tour", "de": "Geführte Tour"},
    "links": {"en": "Links", "de": "Links"},
    "review_page": {"en": "Public review page of the home", "de": "Öffentliche Bewertungsseite"},
    "api": {"en": "Review API (JSON)", "de": "Bewertungs-API (JSON)"},
    "health": {"en": "Health check", "de": "Zustand des Bots"},
    "open_invite": {"en": "Open Anna's invite link", "de": "Annas Einladungslink öffnen"},
    "invite_used": {
        "en": "Anna has joined. Start with --fresh to see the invite again.",
        "de": "Anna ist verbunden. Mit --fresh starten, um die Einladung erneut zu sehen.",
    },
    "connection_lost": {
        "en": "Connection lost – is `heimbote demo` still running?",
        "de": "Verbindung verloren – läuft `heimbote demo` noch?",
    },
    "unread": {"en": "new", "de": "neu"},
    "send_digest": {"en": "Send the evening notes now", "de": "Abendnotizen jetzt senden"},
    "reload": {
        "en": "This page is out of date (the demo was restarted): please reload it.",
        "de": "Diese Seite ist veraltet (die Demo wurde neu gestartet): Bitte laden Sie sie neu.",
    },
}

TOUR: tuple[dict[str, str], ...] = (
    {
        "en": "As <b>Anna</b>, open the invite link (button below): pick your language, "
        "agree to the privacy notice, and see that you are connected with Frau M.",
        "de": "Als <b>Anna</b> den Einladungslink öffnen (Schaltfläche unten): Sprache wählen, dem "
        "Datenschutzhinweis zustimmen und sehen, dass Sie mit Frau M. verbunden sind.",
    },
    {
        "en": "As <b>Ben</b>, tap 📎 and send a sample photo (pick several for an album). "
        "Tap <i>Frau M.</i>, then <i>Done</i>, skip or keep the caption, and <i>Submit</i>.",
        "de": "Als <b>Ben</b> auf 📎 tippen und ein Beispielfoto senden (mehrere ergeben ein "
        "Album). <i>Frau M.</i> antippen, dann <i>Fertig</i>, Bildunterschrift überspringen "
        "oder behalten, <i>Zur Freigabe senden</i>.",
    },
    {
        "en": "As <b>Carla</b>, check Ben's photo update and tap <i>✅ Approve</i>. (An "
        "older one of the singing circle waits too: approve it, or reject it with a reason.)",
        "de": "Als <b>Carla</b> Bens Fotogruß prüfen und <i>✅ Freigeben</i> tippen. (Ein "
        "älterer vom Singkreis wartet auch: freigeben oder mit Begründung ablehnen.)",
    },
    {
        "en": "As <b>Anna</b>, see the photos arrive (nobody has quiet hours in the demo, so "
        "they come at any time of day) and tap <i>❤️ Thank you</i>. As <b>Ben</b>, see "
        "“1 relative said thank you”.",
        "de": "Als <b>Anna</b> die Fotos ankommen sehen (in der Demo hat niemand Ruhezeiten, "
        "sie kommen zu jeder Tageszeit) und <i>❤️ Danke</i> tippen. Als <b>Ben</b> sehen: "
        "„❤️ 1-mal Danke von Angehörigen“.",
    },
    {
        "en": "As <b>Anna</b>, send /message and write to the home. In <b>Team Sonnenhof</b> "
        "the team reads it: write as Ben, tap ↩ next to it and answer. Anna receives the "
        "answer, signed with Ben's name; nothing else said in the group reaches her.",
        "de": "Als <b>Anna</b> /message senden und dem Heim schreiben. In <b>Team "
        "Sonnenhof</b> liest das Team mit: als Ben schreiben, ↩ daneben tippen und antworten. "
        "Anna erhält die Antwort mit Bens Namen; sonst erreicht sie nichts aus der Gruppe.",
    },
    {
        "en": "As <b>Anna</b>, try /settings (the buttons change the message in place), "
        "/privacy and /mydata.",
        "de": "Als <b>Anna</b> /settings ausprobieren (die Schaltflächen ändern die Nachricht "
        "an Ort und Stelle), /privacy und /mydata.",
    },
    {
        "en": "As <b>Anna</b>, open /settings and tap <i>Daily notes about Frau M.: off</i> to "
        "switch them on. As <b>Ben</b>, send /today, tap <i>Frau M.</i>, a mood, her "
        "appetite and an activity, then <i>💾 Save</i>. The evening notes come at 6:00 PM; "
        "the button below sends them now, and Anna reads them (also on demand with /today).",
        "de": "Als <b>Anna</b> /settings öffnen und <i>Frau M.: tägliche Notizen aus</i> "
        "antippen, um sie einzuschalten. Als <b>Ben</b> /today senden, <i>Frau M.</i> "
        "antippen, Stimmung, Appetit und eine Aktivität wählen, dann <i>💾 Speichern</i>. "
        "Die Abendnotizen kommen um 18:00 Uhr; die Schaltfläche unten sendet sie sofort; Anna "
        "liest sie (auch jederzeit mit /today).",
    },
    {
        "en": "As <b>Carla</b>, send /residents (who has photo consent), /invite (a QR code "
        "for a family), /staff, /pending, or /broadcast to write to all families.",
        "de": "Als <b>Carla</b> /residents (wer eine Fotoeinwilligung hat), /invite (ein "
        "QR-Code für eine Familie), /staff, /pending oder /broadcast an alle Familien senden.",
    },
    {
        "en": "As <b>Carla</b>, send /callus, pick Frau M. and ask her family to call. "
        "<b>Anna</b>, her emergency contact, gets the urgent alert at once and taps "
        "<i>📞 I will call</i>; Carla and <b>Team Sonnenhof</b> see who answered and when.",
        "de": "Als <b>Carla</b> /callus senden, Frau M. wählen und die Familie um einen Anruf "
        "bitten. <b>Anna</b>, ihr Notfallkontakt, erhält die dringende Nachricht sofort und "
        "tippt <i>📞 Ich rufe an</i>; Carla und <b>Team Sonnenhof</b> sehen, wer wann "
        "geantwortet hat.",
    },
    {
        "en": "As <b>Anna</b>, send /rate and rate the home. A public comment with a name, a "
        "phone number or a link waits for the platform's moderator: as <b>Mira</b>, tap "
        "<i>Publish</i>. Then open the home's public review page (link at the top): Anna's "
        "rating, those of other families, the home's reply.",
        "de": "Als <b>Anna</b> /rate senden und das Heim bewerten. Ein öffentlicher Kommentar "
        "mit einem Namen, einer Telefonnummer oder einem Link wartet auf die Moderation der "
        "Plattform: als <b>Mira</b> <i>Veröffentlichen</i> tippen. Dann die öffentliche "
        "Bewertungsseite öffnen (Link oben): Annas Bewertung, die anderer Familien, die "
        "Antwort des Heims.",
    },
    {
        "en": "As <b>Anna</b>, send /visit: pick a day, a time and how many of you come, then "
        "<i>✅ Book</i>. The confirmation brings a calendar file and a button to cancel. As "
        "<b>Carla</b>, send /visits to see today's and tomorrow's visits.",
        "de": "Als <b>Anna</b> /visit senden: Tag, Uhrzeit und die Zahl der Personen wählen, "
        "dann <i>✅ Buchen</i>. Die Bestätigung bringt eine Kalenderdatei und eine Schaltfläche "
        "zum Absagen. Als <b>Carla</b> /visits senden und die Besuche von heute und morgen sehen.",
    },
    {
        "en": "As <b>Anna</b>, send /events, open the summer party and tap how many of you "
        "come: the calendar entry arrives as a file. As <b>Carla</b>, send /events and see "
        "Anna signed up, with the count.",
        "de": "Als <b>Anna</b> /events senden, das Sommerfest öffnen und antippen, wie viele "
        "Personen kommen: Der Kalendereintrag kommt als Datei. Als <b>Carla</b> /events senden und "
        "Annas Anmeldung mit der Zahl der Plätze sehen.",
    },
)


def chrome_in(language: str) -> dict[str, str]:
    """Every chrome string in ``language``."""
    return {key: texts[language] for key, texts in CHROME.items()}


def tour_in(language: str) -> list[str]:
    """The tour's steps in ``language`` (trusted HTML, written here)."""
    return [step[language] for step in TOUR]
