"""Translated messages for field errors and for values that could not be computed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from alsrx.domain.exercises import library as exercise_library
from alsrx.domain.unavailable import Unavailable
from alsrx.errors import AlsrxError, FieldError, InvalidInput, NotFound, TooManyRequests
from alsrx.i18n import N_, translator
from alsrx.render import bound_words, field_labels, words

Gettext = Callable[[str], str]

FIELD_ERROR_TEMPLATES = {
    "required": N_("is required"),
    "not_allowed": N_("is not a known field; allowed: {allowed}"),
    "wrong_type": N_("has the wrong type; expected {expected}"),
    "out_of_range": N_("must be {range}"),
    "not_one_of": N_("must be one of: {allowed}"),
    "exactly_one_of": N_("answer exactly one of {fields}"),
    "in_future": N_("is in the future (today is {today})"),
    "moment_in_future": N_("is later than now (latest {latest}); check the clock of the device"),
    "bad_datetime": N_(
        "must be a date and time with its time zone, written like 2026-12-03T09:30:00+08:00"
    ),
    "not_before": N_("must not be earlier than {other}"),
    "not_above": N_("must not be greater than {other}"),
    "text_length": N_("must be text of {min} to {max} characters"),
    "bad_date": N_("must be a real calendar date written YYYY-MM-DD"),
    "duplicate_items": N_("lists the same value twice"),
    "bad_json": N_("is not valid JSON: {detail}"),
    "control_character": N_("contains a control character (such as NUL), which is not allowed"),
    "invalid": N_("is invalid ({detail})"),
    # An import's directory and files (services/reference_cohorts.py).
    "not_a_directory": N_("is not a directory that can be read"),
    "no_such_file": N_("is missing from the directory; it is required"),
    "no_column": N_("has no {column} column"),
    "not_a_whole_number": N_("must be a whole number"),
    "bad_value": N_("is not a value this page accepts"),
    "group_below_k": N_(
        "has {groups} groups of fewer than {k} patients with the same age band, sex, centre, "
        "onset region and baseline years (the smallest: {size}, {combination}); row-level data "
        "would single people out, so nothing was exported"
    ),
    "not_finite": N_("must be a finite number (NaN and Infinity are not numbers)"),
    "integer_too_large": N_("is too large; whole numbers go up to {max}"),
    "too_deep": N_("is nested too deeply; at most {max} levels are allowed"),
    "lone_surrogate": N_("contains a broken character (a lone UTF-16 surrogate)"),
    "too_long": N_("is too long; at most {max} characters are allowed"),
    "clinician_only": N_(
        "can be entered only by a clinician; patients and caregivers may enter: {allowed}"
    ),
    "clinician_assessment_required": N_(
        "is needed: an assessment entered or confirmed by a clinician (a patient's or "
        "caregiver's own report counts once a clinician has confirmed it)"
    ),
    "too_large": N_("is too large; requests may carry at most {max} bytes"),
    "too_short": N_("is too short; at least {min} characters are needed"),
    "secret_required": N_(
        "must be set to a random secret of at least {min} characters (placeholders are refused "
        "outside demo mode)"
    ),
    # Remembered devices (domain/device_trust.py).
    "pin_digits": N_("must be {min} to {max} digits (0–9)"),
    "pin_too_easy": N_(
        "is too easy to guess (the same digit repeated, a run such as 1234, or a very common "
        "PIN); choose another"
    ),
    "pin_mismatch": N_("does not match the PIN typed above"),
    "too_many_devices": N_("are at their limit of {max}; forget one first"),
    "no_hr_target": N_("cannot be set: this prescription has no heart-rate target (RPE only)"),
    "no_active_prescription": N_("has no active prescription to log against"),
    "log_day": N_(
        "must be today or yesterday ({allowed}); ask your clinic to enter an older session"
    ),
    "reused_with_other_body": N_("was already used for a request with a different body"),
    "undo_window_passed": N_("is too long ago: a session can be undone within {minutes} minutes"),
    "length": N_("must be {min} to {max} characters long"),
    "digits": N_("must be {min} to {max} digits (0-9), without spaces or signs"),
    "password_too_short": N_(
        "is too short: use at least {min} characters (a few unrelated words are easy to remember)"
    ),
    "password_too_long": N_("is too long: use at most {max} characters"),
    "password_common": N_(
        "is one of the most common passwords, which attackers try first: choose another"
    ),
    "wrong_password": N_("is not your current password"),
    "wrong_code": N_("is not the code the app shows now: check the phone's clock and try again"),
    "mfa_not_pending": N_("cannot be checked: start setting up two-step sign-in again"),
    # An approval that left a point for the clinician unread (services/prescriptions.approve).
    "point_not_acknowledged": N_(
        "must list {point}: every point for the clinician is acknowledged before approval"
    ),
    # A clinician's change of a component's exercises (domain/exercises/edits.py).
    "exercises_empty": N_("must name at least one exercise"),
    "too_many_exercises": N_("lists more than {max} exercises"),
    "unknown_exercise": N_("is not an exercise in the library"),
    "exercise_not_for_component": N_("{exercise} is not an exercise for {component}"),
    "exercise_needs_mrc": N_("{exercise} needs MRC {needed} for {group}; graded {grade}"),
    "exercise_needs_mrc_untested": N_(
        "{exercise} needs MRC {needed} for {group}, which has not been graded (counted as "
        "{grade} until it is)"
    ),
    "exercise_lying_flat_orthopnoea": N_(
        "{exercise} is done lying down, which orthopnoea rules out"
    ),
    "exercise_standing_needs_someone_beside": N_(
        "{exercise} is done standing alone; with walking help, a ventilator or weak knees or "
        "ankles choose its form with someone beside"
    ),
    "exercise_standing_weak_knees": N_(
        "{exercise} puts weight through knees below MRC 3: plan an orthosis or stand aid instead"
    ),
    "exercise_neck_unsupported_head_drop": N_(
        "{exercise} holds the head up without support, which head drop rules out"
    ),
    "exercise_standing_not_walking": N_(
        "{exercise} is done standing, and the patient no longer walks, even with help"
    ),
    "exercise_needs_equipment": N_(
        "{exercise} needs {equipment}, which the patient's record does not list at home"
    ),
    "exercise_needs_caregiver": N_(
        "{exercise} needs a caregiver's help, and the record says no one is at home to help"
    ),
    "added_load_needs_mrc4": N_(
        "{exercise} adds a load, which needs MRC 4 for {group}; graded {grade}"
    ),
    "added_load_needs_mrc4_untested": N_(
        "{exercise} adds a load, which needs MRC 4 for {group}, and it has not been graded"
    ),
    "not_the_exercise_load": N_("must be this exercise's own load: {loads}"),
    "not_used_by_exercise": N_("must be left out: {exercise} is not dosed this way"),
    "duplicate_exercise": N_(
        "{exercise} is already in the list for this side (exercises[{first}])"
    ),
    "exercises_longer_than_session": N_(
        "take {minutes} minutes together, longer than this session's {session} minutes"
    ),
    # A FHIR import's entries (interop/fhir_import.py, services/fhir_import.py).
    "fhir_unsupported_resource": N_(
        "is a resource type this import does not read; allowed: {allowed}"
    ),
    "fhir_unknown_questionnaire": N_(
        "must be the alsrx ALSFRS-R questionnaire and its version: {expected}"
    ),
    "fhir_unknown_code": N_("is not a code this import reads (see alsrx's published codes)"),
    "fhir_ambiguous_code": N_(
        "is ambiguous: add the coding that says which measurement it is ({qualifiers})"
    ),
    "fhir_no_alsfrs_r_on_date": N_(
        "has no ALSFRS-R QuestionnaireResponse on its date ({date}): an assessment needs the "
        "ALSFRS-R"
    ),
    "fhir_ambiguous_visit": N_(
        "cannot be joined to one visit: several ALSFRS-R responses are dated {date} and its "
        "identifier names none of them"
    ),
    "fhir_duplicate_measure": N_("gives a value this visit already has (at {other})"),
    "fhir_unit_mismatch": N_("must be the UCUM unit {expected} (values are not converted)"),
    "fhir_one_answer": N_("must hold exactly one answer"),
    "fhir_inconsistent": N_("disagrees with {other}"),
    "fhir_unknown_element": N_("is not an element of this resource in FHIR R4B"),
    "fhir_invalid": N_("is not valid FHIR R4B ({detail})"),
    "fhir_unresolved_reference": N_(
        "must refer to the patient (a Patient entry of the bundle, or Patient/id)"
    ),
    "fhir_other_subject": N_(
        "refers to another patient than the bundle's other entries: import one patient at a time"
    ),
    "fhir_already_imported": N_("was imported before, as part of assessment {assessment}"),
    "fhir_other_patient": N_(
        "names other patients than {code}, the patient imported into: export this patient's "
        "record, or import into the patient it names"
    ),
}

UNAVAILABLE_TEMPLATES = {
    "not_measured": N_("not computed: {field} was not given"),
    "outside_reference_range": N_(
        "not computed: {what} is outside {min}-{max}, the range of {source}"
    ),
    "onset_on_assessment_day": N_("not computed: the assessment is on the day of symptom onset"),
    "rest_not_below_max": N_(
        "not computed: resting heart rate is not below the maximal heart rate ({max_bpm} bpm)"
    ),
}

INPUT_ERROR = N_("The input is not valid")

# Each error class's message in words, by its code (alsrx.errors); pages and the API's
# `message` say these, never the exception's English text.
ERROR_MESSAGES = {
    "error": N_("Something went wrong with this request"),
    "not_found": N_("This page or record does not exist, or it is not yours to see"),
    "conflict": N_("This cannot be done now: the record is not in a state that allows it"),
    "precondition_failed": N_("Someone changed this since you opened it; reload the page"),
    "precondition_required": N_(
        "This change must name the version it was made on; reload the page and try again"
    ),
    "permission_denied": N_("Your account may not do this"),
    "unauthenticated": N_("Please sign in"),
    "mfa_required": N_("Enter the code from your authenticator app"),
    "too_many_requests": N_("Too many attempts; wait a minute and try again"),
    "unsupported_media_type": N_("This request must be sent as JSON"),
    "service_unavailable": N_("The system is busy for a moment; try again in a few seconds"),
    "misconfigured": N_("The server is not set up for this; tell your administrator"),
    "method_not_allowed": N_("This address cannot be used this way"),
    "internal_error": N_("Something went wrong on our side (incident {incident})"),
}
# NotFound carries what was looked for ("patient", "user 'x'"): its first word names it.
NOT_FOUND = {
    "patient": N_("This patient does not exist or is not in your centres"),
    "assessment": N_("This assessment does not exist or is not in your centres"),
    "prescription": N_("This prescription does not exist or is not in your centres"),
    "alert": N_("This alert does not exist or is not in your centres"),
    "session": N_("This session does not exist or is not in your centres"),
    "user": N_("This user does not exist"),
    "centre": N_("This centre does not exist"),
    "caregiver": N_("This caregiver is not linked to this patient"),
    "calendar": N_("This calendar link does not exist or was withdrawn"),
}
# A prescription's status inside a sentence ("this one is active").
RX_STATUS = {
    "draft": N_("a draft"),
    "active": N_("active"),
    "superseded": N_("superseded"),
    "rejected": N_("rejected"),
}
# Messages the services raise, in words; "{status}" stands for a prescription's status.
KNOWN_MESSAGES = {
    "this assessment needs no confirmation": N_("This assessment needs no confirmation"),
    "the caregiver is already linked to this patient": N_(
        "This caregiver is already linked to this patient"
    ),
    "a patient with this code exists in this centre": N_(
        "A patient with this code already exists in this centre"
    ),
    "only the active prescription is printed (this one is {status})": N_(
        "Only the active prescription can be printed (this one is {status})"
    ),
    "only a draft can be changed (this one is {status})": N_(
        "Only a draft can be changed (this one is {status})"
    ),
    "this session was already undone": N_("This session was already undone"),
    "two-step sign-in is already set up; an administrator can reset it": N_(
        "Two-step sign-in is already set up; an administrator can reset it"
    ),
    "a request with this Idempotency-Key is in progress": N_(
        "The same request is still being processed; wait a moment"
    ),
    "the form has expired; reload the page and try again": N_(
        "The form has expired; reload the page and try again"
    ),
    "this page is not for your role": N_("This page is not for your role"),
    "only a clinician may print the clinician's sheet": N_(
        "Only a clinician may print the clinician's sheet"
    ),
    "only whoever logged a session, or its clinic, may undo it": N_(
        "Only whoever logged a session, or its clinic, may undo it"
    ),
    "wrong username or password": N_("Wrong username or password."),
    "the code is wrong or was already used": N_("The code is wrong or was already used"),
    "too many sign-in attempts; try again later": N_("Too many sign-in attempts; try again later"),
    "this bundle is being imported by another request": N_(
        "This bundle is being imported by another request; wait a moment and look again"
    ),
}


def _range_text(params: Mapping[str, object], _: Gettext) -> str:
    if "max_age" in params:
        return _("an age at assessment of at most {max_age} years").format(**params)
    if "allowed" in params:
        return _("one of: {allowed}").format(allowed=", ".join(map(str, params["allowed"])))  # type: ignore[call-overload]
    low, high = params.get("min"), params.get("max")
    unit = f" {params['unit']}" if "unit" in params else ""
    if params.get("integer"):
        return _("a whole number from {min} to {max}").format(min=low, max=high) + unit
    return _("a number from {min} to {max}").format(min=low, max=high) + unit


def field_error_message(error: FieldError, lang: str) -> str:
    if error.code in bound_words.CODES:  # a prescription edit's bound and its source
        return bound_words.message(error.code, error.params, lang)
    _ = translator(lang)
    params = {k: _param(k, v, lang, _) for k, v in error.params.items()}
    if error.code == "required" and ("min" in error.params or "allowed" in error.params):
        return _("is required; allowed: {range}").format(range=_range_text(error.params, _))
    if error.code == "out_of_range":
        template = FIELD_ERROR_TEMPLATES["out_of_range"]
        return _(template).format(range=_range_text(error.params, _))
    template = FIELD_ERROR_TEMPLATES.get(error.code, FIELD_ERROR_TEMPLATES["invalid"])
    params.setdefault("detail", error.code)
    return _(template).format(**params)


def unavailable_message(reason: Unavailable, lang: str) -> str:
    _ = translator(lang)
    params = {k: _fmt(v) for k, v in reason.params.items()}
    return _(UNAVAILABLE_TEMPLATES[reason.code]).format(field=reason.field, **params)


def _param(name: str, value: object, lang: str, _: Gettext) -> str:
    """A parameter in words: an exercise by its name in the library, codes whose name says
    what they hold (render/words.py: muscle groups, equipment, components), whole numbers
    without a trailing .0; other lists joined as they always were."""
    if name == "exercise":
        entry = exercise_library.default().get(str(value))
        return entry.words(lang).name if entry else str(value)
    if isinstance(value, tuple | list) and name not in words.PARAM_KINDS:
        return _fmt(value)
    return str(words.param_text(name, value, lang, _))


def _fmt(value: object) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _known(text: str, _: Gettext) -> str | None:
    """A service's English message in the reader's language, if it is one we know."""
    if text in KNOWN_MESSAGES:
        return _(KNOWN_MESSAGES[text])
    for english, template in KNOWN_MESSAGES.items():
        head, sep, tail = english.partition("{status}")
        if sep and text.startswith(head) and text.endswith(tail) and len(text) > len(head + tail):
            status = text[len(head) : len(text) - len(tail)]
            return _(template).format(status=_(RX_STATUS[status]) if status in RX_STATUS else "")
    return None


def error_message(exc: AlsrxError, lang: str) -> str:
    """The error in words: a known message, else what its class means (never its raw text)."""
    _ = translator(lang)
    if isinstance(exc, InvalidInput):
        return _(INPUT_ERROR)
    text = str(exc)
    if isinstance(exc, NotFound):
        subject = text.split(" ", 1)[0]
        return _(NOT_FOUND.get(subject, ERROR_MESSAGES["not_found"]))
    known = _known(text, _)
    if known is not None:
        return known
    if isinstance(exc, TooManyRequests):
        minutes = max(1, -(-exc.retry_after // 60))
        return _("Too many attempts; wait {minutes} minutes and try again").format(minutes=minutes)
    return _(ERROR_MESSAGES.get(exc.code, ERROR_MESSAGES["error"]))


def status_message(code: str, lang: str, **params: object) -> str:
    """An HTTP status's message by its code (GENERIC in web/errors.py), in words."""
    _ = translator(lang)
    return _(ERROR_MESSAGES.get(code, ERROR_MESSAGES["error"])).format(**params)


def error_document(exc: AlsrxError, lang: str) -> dict[str, Any]:
    """The one error shape of alsrx, in API, CLI and pages alike:
    {"error": {"code", "message", "fields": [{"path", "message"}]}}."""
    fields = exc.errors if isinstance(exc, InvalidInput) else ()
    return {
        "error": {
            "code": exc.code,
            "message": error_message(exc, lang),
            "fields": [{"path": f.path, "message": field_error_message(f, lang)} for f in fields],
        }
    }


def field_line(error: FieldError, lang: str) -> str:
    """ "Field in words: message" for a page; the message alone when the path names no field a
    person would know (a page never shows a field path)."""
    name = field_labels.label(error.path, translator(lang))
    message = field_error_message(error, lang)
    return labelled(name, message, lang) if name else message


# "Field: what is wrong", with the colon the language writes (Chinese: the full-width "：").
FIELD_LINE = N_("%(field)s: %(message)s")


def labelled(name: str, message: str, lang: str) -> str:
    return translator(lang)(FIELD_LINE) % {"field": name, "message": message}


def field_lines(exc: AlsrxError, lang: str) -> list[str]:
    """One line in words for each invalid field (none for other errors)."""
    fields = exc.errors if isinstance(exc, InvalidInput) else ()
    return [field_line(f, lang) for f in fields]


def error_lines(exc: AlsrxError, lang: str) -> list[str]:
    """The error's message, then one line per invalid field in words: how pages show it."""
    return [error_document(exc, lang)["error"]["message"], *field_lines(exc, lang)]


def file_error_lines(exc: AlsrxError, lang: str) -> list[str]:
    """The error's message, then "path: message" per invalid field: how the CLI shows it, for
    a person fixing a JSON file, where the path is the field's name."""
    fields = exc.errors if isinstance(exc, InvalidInput) else ()
    message = error_document(exc, lang)["error"]["message"]
    return [message, *(f"{f.path}: {field_error_message(f, lang)}" for f in fields)]
