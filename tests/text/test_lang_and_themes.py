"""Language detection, lemmatised theme matching and the theme dictionary's history."""

from __future__ import annotations

from pathlib import Path

import pytest

from cx.storage import Store
from cx.text import dictionary
from cx.text.analyse import analyse
from cx.text.defaults import DEFAULT_THEMES
from cx.text.lang import detect
from cx.text.sentiment import score
from cx.text.themes import Matcher


def _defaults() -> Matcher:
    return Matcher.build(((t, lang, terms) for t, by in DEFAULT_THEMES.items()
                          for lang, terms in by.items()), 1)


@pytest.mark.parametrize(("text", "lang"), [
    ("The delivery was late and nobody answered my emails.", "en"),
    ("Livraison en retard, personne ne répond à mes mails.", "fr"),
    ("Der Support hat mir überhaupt nicht geholfen.", "de"),
    ("Esperé demasiado tiempo, muy decepcionante.", "es"),
    ("Super rapide, merci !", "fr"),  # short: decided by the French words
    ("ok", "en"),
    ("12345 !!!", "und"),
    ("", "und"),
])
def test_language_of_a_comment(text: str, lang: str) -> None:
    assert analyse(text, _defaults()).lang == lang


def test_other_languages_are_labelled_but_never_scored() -> None:
    for text in ("Sehr freundlicher und schneller Service, vielen Dank!",
                 "Servicio muy amable y rápido, ¡muchas gracias!"):
        features = analyse(text, _defaults())
        assert features.lang in ("de", "es")
        assert features.sentiment is None and features.label is None
    assert score("Great service", "de") is None


def test_sentiment_score_is_bounded_and_labels_mixed() -> None:
    great = score("Brilliant support, thank you so much!", "en")
    awful = score("Awful service, I am furious.", "en")
    mixed = score("The agent was friendly but the wait was awful.", "en")
    assert great.label == "positive" and 0.5 < great.score <= 1
    assert awful.label == "negative" and -1 <= awful.score < -0.5
    assert mixed.label == "mixed"
    assert score("Très déçue, le conseiller était désagréable.", "fr").label == "negative"


@pytest.mark.parametrize(("text", "lang"), [
    ("Our delivery was late", "en"), ("It was delivered to the wrong house", "en"),
    ("Two deliveries went missing", "en"), ("La livraison a pris deux semaines", "fr"),
    ("Colis livré chez le voisin", "fr"), ("Commande livrée cassée", "fr"),
])
def test_lemmas_match_every_form_of_a_keyword(text: str, lang: str) -> None:
    # the dictionary lists "delivery", "deliver", "livraison", "livrer": one form per word
    assert "delivery" in _defaults().themes(text, lang)


def test_phrases_match_only_as_consecutive_words() -> None:
    m = Matcher.build([("ease of contact", "en", ["phone menu"])], 1)
    assert m.themes("The phone menus are a maze", "en") == {"ease of contact"}
    assert m.themes("The menu on the phone is fine", "en") == set()
    assert m.themes("The phone menu", "fr") == set()  # English terms for English comments
    assert m.themes("The phone menu", "und") == {"ease of contact"}  # unknown: every language


def test_dictionary_history_versions_and_removal(tmp_path: Path) -> None:
    store = Store(tmp_path / "cx.duckdb")
    with store.transaction() as cur:
        assert dictionary.ensure_defaults(cur) and not dictionary.ensure_defaults(cur)
        assert dictionary.version(cur) == 1
        n_default = len(dictionary.current(cur))
        assert n_default == sum(len(by) for by in DEFAULT_THEMES.values())
        entry = dictionary.add_terms(cur, "Delivery", "en", [" Courier ", "drone drop"], "ana")
        assert entry.version == 2 and entry.theme == "delivery"
        assert entry.terms[-1] == "drone drop" and "courier" in entry.terms
        assert dictionary.remove_theme(cur, "billing", "ana") == 2  # en and fr
        assert dictionary.version(cur) == 3
        themes = {e.theme for e in dictionary.current(cur)}
        assert "billing" not in themes and "delivery" in themes
        history = dictionary.history(cur, "billing")
        assert [(e.version, e.removed) for e in history] == [(3, True), (3, True), (1, False),
                                                            (1, False)]
        assert dictionary.matcher(cur).themes("Two drone drops failed", "en") == {"delivery"}
        assert dictionary.matcher(cur).themes("Charged twice", "en") == set()


@pytest.mark.parametrize(("call", "message"), [
    (lambda cur: dictionary.set_terms(cur, "", "en", ["x"], None), "theme name"),
    (lambda cur: dictionary.set_terms(cur, "x", "english", ["x"], None), "two-letter"),
    (lambda cur: dictionary.set_terms(cur, "x", "en", [" ", ""], None), "at least one"),
    (lambda cur: dictionary.remove_theme(cur, "nothing", None), "no theme 'nothing'"),
])
def test_dictionary_refuses_bad_edits_with_a_reason(tmp_path: Path, call, message: str) -> None:
    store = Store(tmp_path / "cx.duckdb")
    with store.transaction() as cur:
        dictionary.ensure_defaults(cur)
        with pytest.raises(ValueError, match=message):
            call(cur)
