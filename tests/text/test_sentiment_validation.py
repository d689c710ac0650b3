"""Sentiment measured on hand-written labelled comments (tests/data/sentiment_{en,fr}.csv).

Each file holds 320 comments written for these tests, 80 per label (positive, neutral,
negative, mixed), from several service settings (delivery, telecom, banking, travel, support).
The trivial baseline is the majority class: on a balanced set its accuracy is 0.25 and its
macro-F1 0.10. The floors below sit a little under the figures measured when they were written
(EN accuracy 0.741, macro-F1 0.729; FR accuracy 0.634, macro-F1 0.590), so a regression fails.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, f1_score

from cx.text.analyse import analyse
from cx.text.sentiment import LABELS
from cx.text.themes import Matcher

DATA = Path(__file__).resolve().parents[1] / "data"
FLOORS = {"en": (0.70, 0.68), "fr": (0.60, 0.55)}  # accuracy, macro-F1


def _scored(lang: str) -> pd.DataFrame:
    frame = pd.read_csv(DATA / f"sentiment_{lang}.csv")
    features = [analyse(t, Matcher.build([], 0)) for t in frame["text"]]
    frame["lang_found"] = [f.lang for f in features]
    frame["predicted"] = [f.label or "unscored" for f in features]
    return frame


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_labelled_set_is_large_and_balanced(lang: str) -> None:
    frame = pd.read_csv(DATA / f"sentiment_{lang}.csv")
    assert len(frame) >= 300 and not frame["text"].duplicated().any()
    assert frame["label"].value_counts().to_dict() == {label: 80 for label in LABELS}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sentiment_beats_the_majority_baseline_by_far(lang: str) -> None:
    frame = _scored(lang)
    assert (frame["lang_found"] == lang).mean() >= 0.99  # detected as the right language
    labels = list(LABELS)
    accuracy = accuracy_score(frame["label"], frame["predicted"])
    # sklearn.metrics.f1_score(y, y_hat, average="macro") over the four labels
    macro_f1 = f1_score(frame["label"], frame["predicted"], labels=labels, average="macro")
    majority = frame["label"].value_counts().idxmax()
    base_acc = accuracy_score(frame["label"], [majority] * len(frame))
    base_f1 = f1_score(frame["label"], [majority] * len(frame), labels=labels,
                       average="macro")
    assert base_acc == pytest.approx(0.25) and base_f1 == pytest.approx(0.1)
    floor_acc, floor_f1 = FLOORS[lang]
    assert accuracy >= floor_acc and macro_f1 >= floor_f1, (accuracy, macro_f1)
    # each label is found at least sometimes (mixed is the hardest)
    recall = frame.assign(hit=frame["label"] == frame["predicted"]).groupby("label")["hit"].mean()
    assert recall.min() >= 0.10 and recall.drop("mixed").min() >= 0.65, recall.to_dict()
