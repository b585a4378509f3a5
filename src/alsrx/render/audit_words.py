"""The audit trail in words: actions, entities, fields and values as an administrator reads
them ("Role: clinician → researcher"), never as stored codes or dicts.

Administrators read no clinical data, so for clinical records the lines name what changed but
not the values (CLINICAL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from babel import dates as babel_dates

from alsrx.i18n import N_, locale_for, translator
from alsrx.render import words

Gettext = Callable[[str], str]

ROLES = {
    "admin": N_("Administrator"),
    "clinician": N_("Clinician"),
    "researcher": N_("Researcher"),
    "patient": N_("Patient"),
    "caregiver": N_("Caregiver"),
}
ACTIONS = {
    "create": N_("Created"),
    "update": N_("Changed"),
    "edit": N_("Edited"),
    "link": N_("Linked"),
    "unlink": N_("Unlinked"),
    "login": N_("Signed in"),
    "login_failed": N_("Refused sign-in"),
    "password_change": N_("Changed own password"),
    "password_reset": N_("Reset the password"),
    "password_set": N_("Set a new password with a one-time code"),
    "token_create": N_("Started a session or token"),
    "token_revoke": N_("Ended a session or token"),
    "tokens_revoke_all": N_("Ended all sessions and tokens"),
    "mfa_enrol": N_("Set up two-step sign-in"),
    "mfa_reset": N_("Reset two-step sign-in"),
    "mfa_recovery_used": N_("Used a recovery code"),
    "approve": N_("Approved"),
    "reject": N_("Rejected"),
    "propose": N_("Proposed"),
    "supersede": N_("Superseded"),
    "acknowledge": N_("Acknowledged"),
    "resolve": N_("Resolved"),
    "confirm": N_("Confirmed"),
    "correct": N_("Corrected"),
    "revoke": N_("Revoked"),
    "undo": N_("Undone"),
    "export": N_("Exported"),
    "import": N_("Imported"),
}
ENTITIES = {
    "user": N_("Account"),
    "centre": N_("Centre"),
    "caregiver_link": N_("Caregiver link"),
    "patient": N_("Patient"),
    "assessment": N_("Assessment"),
    "prescription": N_("Prescription"),
    "session_log": N_("Session log"),
    "alert": N_("Alert"),
    "calendar_link": N_("Calendar link"),
    "research_assessments": N_("Research export"),
}
CLINICAL = frozenset(
    {"patient", "assessment", "prescription", "session_log", "alert", "calendar_link"}
)
FIELDS = {
    "username": N_("Username"),
    "role": N_("Role"),
    "centres": N_("Centres"),
    "patient_id": N_("Patient"),
    "linked_patients": N_("Linked patients"),
    "caregiver_id": N_("Caregiver"),
    "is_active": N_("Active"),
    "lang": N_("Language"),
    "name": N_("Name"),
    "contact_phone": N_("Clinic phone"),
    "emergency_number": N_("Emergency number"),
    "kind": N_("Kind"),
    "count": N_("Number ended"),
    "expires_at": N_("Expires"),
    "address": N_("Network address"),
    "factor": N_("Sign-in step"),
    "method": N_("Method"),
    # A clinic export's counts (services/clinic_export.py): rows per file.
    "format": N_("Format"),
    "patients": N_("Patients"),
    "assessments": N_("Assessments"),
    "prescriptions": N_("Prescriptions"),
    "prescription_components": N_("Prescription components"),
    "session_logs": N_("Session logs"),
    "alerts": N_("Alerts"),
}
VALUES = {
    "session": N_("browser session"),
    "api": N_("API token"),
    "mfa": N_("second-step sign-in"),
    "enrol": N_("two-step set-up"),
    "password": N_("password"),
    "totp": N_("authenticator code"),
    "recovery": N_("recovery code"),
    "one_time_code": N_("one-time code"),
    "zip": N_("ZIP archive of CSV files"),
    "csv": N_("CSV file"),
}
REASONS = {
    "password reset": N_("password reset"),
    "password changed": N_("password changed"),
    "user disabled": N_("account disabled"),
    "two-step sign-in reset": N_("two-step sign-in reset"),
    "revoked by operator": N_("ended by the operator"),
}
HIDDEN = frozenset({"username_hmac"})  # a keyed hash: meaningless to a reader
CLINICAL_NOTE = N_("Clinical values are not shown to administrators; fields changed: {fields}")
OTHER_FIELD = N_("other details")


def label(table: Mapping[str, str], code: str | None, _: Gettext) -> str:
    if code is None:
        return "—"
    return _(table[code]) if code in table else code.replace("_", " ")


def reason_text(reason: str | None, _: Gettext) -> str:
    if not reason:
        return ""
    return _(REASONS[reason]) if reason in REASONS else reason


class Names:
    """What ids stand for: users by username, centres by name, patients by code."""

    def __init__(
        self, users: Mapping[int, str], centres: Mapping[int, str], patients: Mapping[str, str]
    ) -> None:
        self.users, self.centres, self.patients = users, centres, patients


def value_text(key: str, value: Any, names: Names, lang: str) -> str:
    _ = translator(lang)
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "role":
        return label(ROLES, str(value), _)
    if key == "lang":
        return {"en": "English", "zh": "中文"}.get(str(value), str(value))
    if key == "centres" and isinstance(value, list):
        return words.separator(lang).join(names.centres.get(int(c), str(c)) for c in value)
    if key in ("patient_id", "linked_patients"):
        items = value if isinstance(value, list) else [value]
        return words.separator(lang).join(names.patients.get(str(p), "?") for p in items)
    if key == "caregiver_id":
        return names.users.get(int(value), str(value))
    if key == "expires_at":
        return moment(str(value), lang)
    if isinstance(value, str) and value in VALUES:
        return _(VALUES[value])
    if isinstance(value, list):
        return words.separator(lang).join(str(v) for v in value)
    return str(value)


def moment(iso: str, lang: str) -> str:
    """A stored UTC instant in the server's local time, as the reader's language writes it."""
    try:
        at = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return babel_dates.format_datetime(at.astimezone(), format="medium", locale=locale_for(lang))


def change_lines(
    entity: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    names: Names,
    lang: str,
) -> list[str]:
    """One line per field: "Label: old → new", "Label: new" for a new value, or for clinical
    records the fields' names only."""
    _ = translator(lang)
    old, new = old or {}, new or {}
    keys = [k for k in (*old, *(k for k in new if k not in old)) if k not in HIDDEN]
    if entity in CLINICAL:
        if not keys:
            return []
        fields = words.separator(lang).join(
            dict.fromkeys(_(FIELDS[k]) if k in FIELDS else _(OTHER_FIELD) for k in keys)
        )
        return [_(CLINICAL_NOTE).format(fields=fields)]
    lines = []
    for key in keys:
        name = _(FIELDS[key]) if key in FIELDS else _(OTHER_FIELD)
        after = value_text(key, new.get(key), names, lang)
        if key in old:
            before = value_text(key, old[key], names, lang)
            lines.append(f"{name}: {before} → {after}" if key in new else f"{name}: {before}")
        else:
            lines.append(f"{name}: {after}")
    return lines
