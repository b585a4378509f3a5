"""The compiled schema checker may answer first only if it never accepts what the reference
validator (jsonschema) refuses: documents generated from the schema itself, most of them broken
in one place (out of range, wrong type, unknown or missing key), are judged by both."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from alsrx.intake import schema as schema_mod

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def valid(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values the schema allows."""
    kind = spec.get("type")
    if isinstance(kind, list):
        return st.one_of([valid(spec | {"type": k}) for k in kind])
    if kind == "null":
        return st.none()
    if "enum" in spec:
        return st.sampled_from(spec["enum"])
    if kind == "object":
        props, required = spec.get("properties", {}), set(spec.get("required", ()))
        return st.fixed_dictionaries(
            {k: valid(v) for k, v in props.items() if k in required},
            optional={k: valid(v) for k, v in props.items() if k not in required},
        )
    if kind == "integer":
        return st.integers(spec.get("minimum", -(10**4)), spec.get("maximum", 10**4))
    if kind == "number":
        return st.floats(spec.get("minimum"), spec.get("maximum"), allow_nan=False)
    if kind == "string" and "pattern" in spec:
        return st.from_regex(spec["pattern"], fullmatch=True)
    if kind == "string":
        return st.text(min_size=spec.get("minLength", 0), max_size=spec.get("maxLength", 20))
    if kind == "array":
        return st.lists(valid(spec["items"]), max_size=4, unique=spec.get("uniqueItems", False))
    if kind == "boolean":
        return st.booleans()
    raise AssertionError(f"no generator for {spec}")


def broken(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values that break this spot of the schema (or, rarely, happen to fit it)."""
    near: list[Any] = []
    for bound, step in (("minimum", -1), ("maximum", 1)):
        if bound in spec:
            near += [spec[bound] + step, spec[bound] + step / 2, float(spec[bound])]
    if spec.get("type") == "integer" or "integer" in spec.get("type", []):
        near += [1.0, 2.5]
    if "enum" in spec:
        near += [str(spec["enum"][0]).upper(), ""]
    if "maxLength" in spec:
        near.append("x" * (spec["maxLength"] + 1))
    if spec.get("type") == "array":
        near.append([])
    return st.one_of(st.sampled_from(near), JUNK) if near else JUNK


@st.composite
def mutated(draw: st.DrawFn, spec: dict[str, Any], value: Any) -> Any:
    """The document with one spot broken: a value replaced, a key dropped or added."""
    props = spec.get("properties", {})
    if spec.get("type") == "object" and isinstance(value, dict):
        move = draw(st.sampled_from(["descend", "descend", "drop", "add", "replace"]))
        if move == "descend" and value:
            key = draw(st.sampled_from(sorted(value)))
            return value | {key: draw(mutated(props.get(key, {}), value[key]))}
        if move == "drop" and value:
            key = draw(st.sampled_from(sorted(value)))
            return {k: v for k, v in value.items() if k != key}
        if move == "add":
            return value | {draw(st.sampled_from(["unknown", *props])): draw(JUNK)}
    if spec.get("type") == "array" and isinstance(value, list) and value and draw(st.booleans()):
        i = draw(st.integers(0, len(value) - 1))
        return [*value[:i], draw(mutated(spec["items"], value[i])), *value[i + 1 :]]
    return draw(broken(spec))


@st.composite
def documents(draw: st.DrawFn, spec: dict[str, Any]) -> Any:
    document = draw(valid(spec))
    return draw(mutated(spec, document)) if draw(st.booleans()) else document


def _full_errors(document: object, part: str) -> list[Any]:
    if part == "session":
        validator = schema_mod._session_validator()
    else:
        validator = schema_mod._validator(part or None)
    return list(validator.iter_errors(document))


PARTS = {
    "": dict(schema_mod.assessment_input_schema()),
    "session": dict(schema_mod.session_log_schema()),
}


@pytest.mark.parametrize("part", sorted(PARTS))
@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_the_compiled_checker_and_the_reference_validator_give_the_same_verdict(part, data):
    document = data.draw(documents(PARTS[part]))
    reference_accepts = _full_errors(document, part) == []
    event(f"reference accepts: {reference_accepts}")
    assert schema_mod.fast_accepts(document, part) == reference_accepts


@pytest.mark.parametrize("part", sorted(PARTS))
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_documents_drawn_from_the_schema_are_valid_until_broken(part, data):
    assert _full_errors(data.draw(valid(PARTS[part])), part) == []
