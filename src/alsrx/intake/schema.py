"""The published JSON Schema of the input, and its errors in the alsrx error vocabulary.

The schema file is the single statement of what each field allows (types, units, ranges); the
same file is documented for users, so the checks and the documentation cannot drift apart.

Two validators read it. `jsonschema` is the reference: it reports every violation with its
path, which become the field errors users see. A compiled `fastjsonschema` checker answers
first, because nearly every document is valid and it is ~15x faster: only a document it
refuses goes to `jsonschema` for the errors, so its verdict never replaces the reference's
(tests/unit/test_schema_validators.py checks that it never accepts what `jsonschema` refuses).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from typing import Any

import fastjsonschema
import jsonschema

from alsrx.errors import FieldError
from alsrx.intake import wire

SCHEMA_FILE = "assessment-input.schema.json"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


@functools.cache
def assessment_input_schema() -> Mapping[str, Any]:
    text = resources.files(__package__).joinpath("schemas", SCHEMA_FILE).read_text("utf-8")
    schema: Mapping[str, Any] = json.loads(text)
    return schema


@functools.cache
def session_log_schema() -> Mapping[str, Any]:
    text = (
        resources.files(__package__)
        .joinpath("schemas", "session-log.schema.json")
        .read_text("utf-8")
    )
    schema: Mapping[str, Any] = json.loads(text)
    return schema


@functools.cache
def _session_validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(session_log_schema())
    return cls(session_log_schema())


@functools.cache
def _fast(part: str) -> Callable[[object], object]:
    schema: Mapping[str, Any] = (
        session_log_schema() if part == "session" else _part_schema(part or None)
    )
    return fastjsonschema.compile(dict(schema))  # type: ignore[no-any-return,unused-ignore]


def fast_accepts(document: object, part: str) -> bool:
    """The compiled checker's verdict ("session", "", "patient" or "assessment")."""
    try:
        _fast(part)(document)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def session_log_errors(document: object) -> list[FieldError]:
    refused = wire.value_errors(document)
    if refused:  # NaN passes every range check of a schema: it must not reach one
        return refused
    if fast_accepts(document, "session"):
        return []
    errors = [
        fe for err in _session_validator().iter_errors(document) for fe in _to_field_errors(err)
    ]
    return sorted(errors, key=lambda e: e.path)


def _part_schema(part: str | None) -> Mapping[str, Any]:
    schema = assessment_input_schema()
    found: Mapping[str, Any] = schema if part is None else schema["properties"][part]
    return found


@functools.cache
def _validator(part: str | None = None) -> jsonschema.protocols.Validator:
    schema = _part_schema(part)
    cls = jsonschema.validators.validator_for(assessment_input_schema())
    cls.check_schema(schema)
    return cls(schema)


def schema_errors(document: object, part: str | None = None) -> list[FieldError]:
    """Every schema violation of the document (or of one part: "patient", "assessment"), as
    field errors sorted by path."""
    refused = wire.value_errors(document)
    if refused:  # NaN passes every range check of a schema: it must not reach one
        return refused
    if fast_accepts(document, part or ""):
        return []
    validator = _validator(part)
    errors = [fe for err in validator.iter_errors(document) for fe in _to_field_errors(err)]
    return sorted(errors, key=lambda e: e.path)


@functools.cache
def _document_validator(schema_text: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_text)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def document_errors(document: object, schema: Mapping[str, Any]) -> list[FieldError]:
    """Every violation of a route's documented body schema, as field errors sorted by path:
    what the API documents (types, lengths, required fields) is what it enforces."""
    refused = wire.value_errors(document)
    if refused:
        return refused
    validator = _document_validator(json.dumps(schema, sort_keys=True))
    errors = [fe for err in validator.iter_errors(document) for fe in _to_field_errors(err)]
    return sorted(errors, key=lambda e: e.path)


def _dotted(path: Iterator[Any] | Any) -> str:
    return ".".join(str(part) for part in path)


def _join(base: str, name: str) -> str:
    return f"{base}.{name}" if base else name


def _to_field_errors(err: jsonschema.ValidationError) -> list[FieldError]:
    path = _dotted(err.absolute_path)
    schema = err.schema if isinstance(err.schema, Mapping) else {}
    kind = err.validator
    if kind == "required":
        missing = str(err.message).split("'")[1]
        sub = schema.get("properties", {}).get(missing, {})
        return [FieldError(_join(path, missing), "required", _range_params(sub))]
    if kind == "additionalProperties":
        allowed = tuple(sorted(schema.get("properties", {})))
        extras = sorted(set(err.instance) - set(allowed)) if isinstance(err.instance, dict) else []
        return [FieldError(_join(path, x), "not_allowed", {"allowed": allowed}) for x in extras]
    if kind in ("minimum", "maximum"):
        return [FieldError(path, "out_of_range", _range_params(schema))]
    if kind == "type" and ("minimum" in schema or "maximum" in schema):
        return [FieldError(path, "out_of_range", _range_params(schema))]
    if kind == "type":
        return [FieldError(path, "wrong_type", {"expected": schema.get("type")})]
    if kind == "enum":
        return [FieldError(path, "not_one_of", {"allowed": tuple(schema["enum"])})]
    if kind == "pattern" and schema.get("pattern") == DATE_PATTERN:
        return [FieldError(path, "bad_date", {})]
    if kind == "pattern":
        return [FieldError(path, "invalid", {"detail": schema.get("description", "pattern")})]
    if kind == "maxLength":
        return [FieldError(path, "too_long", {"max": schema["maxLength"]})]
    if kind == "minLength":
        return [FieldError(path, "too_short", {"min": schema["minLength"]})]
    if kind == "uniqueItems":
        return [FieldError(path, "duplicate_items", {})]
    return [FieldError(path, "invalid", {"detail": kind})]


def _range_params(schema: Mapping[str, Any]) -> dict[str, object]:
    params: dict[str, object] = {}
    if "minimum" in schema:
        params["min"] = schema["minimum"]
    if "maximum" in schema:
        params["max"] = schema["maximum"]
    if "x-unit" in schema:
        params["unit"] = schema["x-unit"]
    if schema.get("type") == "integer":
        params["integer"] = True
    if "enum" in schema:
        params["allowed"] = tuple(schema["enum"])
    return params
