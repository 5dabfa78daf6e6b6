"""The medical word list holds diagnoses and medication names, in German and English, and lets
everyday words of a good day pass."""

from __future__ import annotations

import pytest

from bot.services.wellbeing.screening import medical


@pytest.mark.parametrize("text", [
    "Hat ihre Tabletten heute gern genommen.",
    "Took her pills without fuss.",
    "Der Blutdruck war etwas hoch.",
    "Nach dem Schlaganfall geht es langsam besser.",
    "Seine Demenz war heute kaum zu merken.",
    "Hatte leichtes Fieber.",
    "Die Grippe ist fast vorbei.",
    "Bekam eine Spritze.",
    "Paracetamol gegen die Schmerzen.",
    "Seit dem L-Thyroxin munterer.",
    "Had a touch of flu.",
    "Diabetes check went fine.",
    "Antidepressiva angepasst.",
])
def test_a_medical_word_holds_the_note(text: str) -> None:
    assert medical(text)


@pytest.mark.parametrize("text", [
    "Hat mit Genuss Tee getrunken und Kuchen gegessen.",
    "Tea and biscuits in the garden.",
    "Videoanruf mit dem Enkel auf dem Tablet.",
    "Video call with her grandson on the tablet.",
    "Watched Coronation Street with a friend.",
    "Ein Spritzer Zitrone im Wasser, den mochte sie.",
    "Beim Singkreis mitgesungen, danach spazieren im Park.",
    "Hat Kreuzworträtsel gelöst und viel gelacht.",
    "Enjoyed the singing circle and a short walk.",
    "Hat gut geschlafen und das Frühstück genossen.",
    "Stroked the therapy dog for a long time.",
])
def test_everyday_words_pass(text: str) -> None:
    assert not medical(text)
