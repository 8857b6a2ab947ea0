"""Competency questions: each example query of the query page (tdld/examples/NN-*.rq) has its expected
answer in tests/data/competency/NN-*.tsv."""

import csv
from pathlib import Path

import pytest

from tdld.core.namespaces import PREFIXES
from tdld.release.store import open_store, run_query

from ..conftest import DATA, EXAMPLES

ANSWERS = DATA / "competency"
QUESTIONS = sorted(p for p in EXAMPLES.glob("*.rq") if p.name[:2].isdigit())  # the others ask Wikidata


def compact(term) -> str:
    """IRIs as CURIEs where tdld knows the prefix, literals as their lexical form."""
    if term is None:
        return ""
    value = term.value
    if term.__class__.__name__ == "NamedNode":
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if value.startswith(namespace) and "/" not in value[len(namespace):]:
                return f"{prefix}:{value[len(namespace):]}"
    return value


def expected_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def store(release):
    return open_store(release)


def test_there_are_at_least_twelve_questions():
    assert len(QUESTIONS) >= 12
    for path in QUESTIONS:
        assert path.read_text(encoding="utf-8").startswith("# Question:"), path.name
        assert (ANSWERS / f"{path.stem}.tsv").is_file(), f"{path.name} has no expected answer"
    assert sorted(p.stem for p in ANSWERS.glob("*.tsv")) == [p.stem for p in QUESTIONS], "an answer without a question"


@pytest.mark.parametrize("path", QUESTIONS, ids=lambda p: p.stem)
def test_competency_question_gives_expected_answer(path, store):
    query = path.read_text(encoding="utf-8")
    header, expected = expected_rows(ANSWERS / f"{path.stem}.tsv")
    results = run_query(store, query)
    variables = [v.value for v in results.variables]
    assert variables == header
    actual = [[compact(solution[v]) for v in variables] for solution in results]
    if "ORDER BY" in query.upper():
        assert actual == expected
    else:
        assert sorted(actual) == sorted(expected)
