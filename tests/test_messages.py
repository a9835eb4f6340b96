"""The sentence catalogue (models.messages): complete in both languages, filled alike, numbers
written the way each language writes them, and the language kept to its context."""

from __future__ import annotations

import ast
import string
import threading
from pathlib import Path

import pytest

from models.labels import LANGS
from models.messages import (
    MESSAGES,
    current,
    join,
    join_and,
    literals,
    number,
    say,
    speaking,
    spoken,
    template,
)

FORMATTER = string.Formatter()


def fields(text: str) -> set[tuple[str, str]]:
    """The parameters of a template with their format specs."""
    return {(name, spec) for _, name, spec, _ in FORMATTER.parse(text) if name is not None}


def sample(spec: str) -> object:
    """A value a parameter with format ``spec`` accepts."""
    if spec.endswith(("%", "f", "g")) or spec.startswith("+"):
        return 0.625
    if spec == ",":
        return 12_345
    return "x"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_parameters(key: str) -> None:
    english, german = MESSAGES[key]
    assert len(MESSAGES[key]) == len(LANGS)
    assert english, key
    assert german, key
    assert fields(english) == fields(german), key
    assert "lang" not in {name for name, _ in fields(english)}  # say's own keyword
    values = {name: sample(spec) for name, spec in fields(english)}
    for lang in LANGS:
        with speaking(lang):
            text = say(key, **values)
        assert "{" not in text, (key, lang)
        assert "}" not in text, (key, lang)


def words(text: str) -> str:
    """The letters of a template outside its parameters."""
    literal = "".join(part for part, *_ in FORMATTER.parse(text))
    return "".join(ch for ch in literal if ch.isalpha())


def test_german_differs_from_english_but_for_formulas() -> None:
    same = {key for key, (en, de) in MESSAGES.items() if en == de and words(en)}
    # words that German spells the same way
    assert same == {"path.ad-hoc", "render.seconds", "cli.fit.neutral"}


def test_numbers_use_the_decimal_comma_in_german_only() -> None:
    assert number(0.625, ".2f") == "0.62"
    assert number(0.5, ".0%") == "50%"
    with speaking("de"):
        assert number(0.625, ".2f") == "0,62"
        assert number(0.5, ".0%") == "50 %"
        assert number(1234.5, ",.1f") == "1.234,5"
        assert say("vote.assumed", assumed="x") == " Annahme: x."
        assert "1.000" in say("evidence.hub.large", large=1000)
        assert say("diagnose.raise", role="Legal", before=2.5, days="3 Tage") == (
            "Die Kapazität von Legal von 2,5 auf 3 Tage erhöhen."
        )


def test_lists_are_read_out_in_each_language() -> None:
    assert join(["A", "B", "C"]) == "A, B and C"
    assert join_and(["A", "B", "C"]) == "A and B and C"
    with speaking("de"):
        assert join(["A", "B", "C"]) == "A, B und C"
        assert join_and(["A", "B", "C"]) == "A, B und C"
        assert join(["A"]) == "A"


def test_the_language_is_english_outside_a_context_and_restored_after_it() -> None:
    assert current() == "en"
    with speaking("de"):
        assert current() == "de"
        with speaking("en"):
            assert current() == "en"
        assert current() == "de"
    assert current() == "en"


def test_another_thread_keeps_its_own_language() -> None:
    seen: list[str] = []
    with speaking("de"):
        thread = threading.Thread(target=lambda: seen.append(current()))
        thread.start()
        thread.join()
    assert seen == ["en"]
    assert spoken("de", current) == "de"
    assert spoken("de", say, "lint.empty-matrix") == "Die Matrix enthält keine Tätigkeiten."


def test_literals_recognise_a_sentence_in_either_language() -> None:
    starts = literals("explain.local")
    assert starts == (
        "Local estimate (rest of the matrix unchanged, an upper bound): moving A from ",
        "Lokale Schätzung (Rest der Matrix unverändert, eine Obergrenze): A von ",
    )
    assert template("diagnose.time-budget", "de") == "Zeitbudget"


def test_no_key_is_written_twice() -> None:
    """A key given twice in the catalogue's literal would silently hide the first."""
    source = Path(__file__).resolve().parents[1] / "models" / "messages.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    [catalogue] = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "MESSAGES"
    ]
    assert isinstance(catalogue, ast.Dict)
    keys = [key.value for key in catalogue.keys if isinstance(key, ast.Constant)]
    assert len(keys) == len(set(keys)) == len(MESSAGES)
