"""SQLAlchemy 2 models. Identifying fields live in `patient_identities`, so research reads of
`patients` never touch them. Clinical records are versioned, never overwritten: a correction is
a new row that supersedes the old one, with its reason. Audit events are append-only and
MAC-chained (see services/audit.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
ROLES = ("admin", "clinician", "researcher", "patient", "caregiver")


def table(model: type[Base]) -> Table:
    """A model's table, typed as one (`__table__` is declared as a FromClause), for the prebuilt
    Core statements of the busiest paths."""
    return cast(Table, model.__table__)


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Centre(Base):
    __tablename__ = "centres"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    # Shown before the clinic after a red flag (migration 0011); None: "your local number".
    emergency_number: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    lang: Mapped[str] = mapped_column(String(5), default="en")
    patient_id: Mapped[str | None] = mapped_column(ForeignKey("patients.id"))  # role patient
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Switch scanning, dwell and read aloud (domain/access_modes.py); None: all off (0018).
    access_prefs: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class UserCentre(Base):
    """Clinicians and researchers belong to centres; their reach ends at those centres."""

    __tablename__ = "user_centres"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), primary_key=True)


class CaregiverLink(Base):
    __tablename__ = "caregiver_links"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), primary_key=True)


class Patient(Base):
    """Pseudonymous clinical facts; the code is unique within a centre."""

    __tablename__ = "patients"
    __table_args__ = (UniqueConstraint("centre_id", "code", name="centre_code"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    code: Mapped[str] = mapped_column(String(50))
    # Random, not derived from any identifier (45 CFR 164.514(c)): the key of research views.
    research_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    sex: Mapped[str] = mapped_column(String(10))
    height_cm: Mapped[float | None] = mapped_column(Float)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    ethnicity: Mapped[str | None] = mapped_column(String(30))
    symptom_onset_date: Mapped[dt.date] = mapped_column(Date)
    diagnosis_date: Mapped[dt.date | None] = mapped_column(Date)
    onset_region: Mapped[str | None] = mapped_column(String(20))
    beta_blocker: Mapped[bool] = mapped_column(Boolean, default=False)
    conditions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    c9orf72: Mapped[bool | None] = mapped_column(Boolean)
    uses_ventilation_support: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PatientIdentity(Base):
    """Identifying fields, kept apart: research views never join this table."""

    __tablename__ = "patient_identities"
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), primary_key=True)
    birth_date: Mapped[dt.date] = mapped_column(Date)
    full_name: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))


class Assessment(Base):
    """One version of one assessment; corrections add a version and keep the old one."""

    __tablename__ = "assessments"
    # "The latest assessment of a patient" is read on every new visit and by every page.
    __table_args__ = (Index("ix_assessments_patient_date", "patient_id", "date", "created_at"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    series_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the assessment object as entered
    derived: Mapped[dict[str, Any]] = mapped_column(JSON)  # the core's output
    reason: Mapped[str | None] = mapped_column(Text)  # why this version replaced the last
    # A few derived values as columns, so dashboards of thousands of patients need no JSON.
    total: Mapped[int | None] = mapped_column(Integer)
    kings_stage: Mapped[str | None] = mapped_column(String(6))
    mitos_stage: Mapped[int | None] = mapped_column(Integer)
    progression_category: Mapped[str | None] = mapped_column(String(15))
    fvc_percent: Mapped[float | None] = mapped_column(Float)
    entered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entered_as: Mapped[str] = mapped_column(String(20))
    # A patient's or caregiver's own assessment counts for drafting only once a clinician has
    # confirmed it (migration 0007); a clinician's own entries need no confirmation.
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Prescription(Base):
    """One version of a patient's prescription: draft, active, superseded or rejected."""

    __tablename__ = "prescriptions"
    # A patient's active plan and open drafts are looked up on every logged session: without
    # this, SQLite chose the status index and walked the whole deployment's (migration 0005).
    __table_args__ = (Index("ix_prescriptions_patient_status", "patient_id", "status"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    assessment_id: Mapped[str | None] = mapped_column(ForeignKey("assessments.id"))
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("prescriptions.id"))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(30), default="engine")  # engine | proposal:<kind>
    proposal: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # reasons and diff of a proposal
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    starts_on: Mapped[dt.date | None] = mapped_column(Date)  # first day of the plan (approval)
    planned_per_week: Mapped[int | None] = mapped_column(Integer)  # sessions, for dashboards
    # Planned sessions and minutes of each component, programme week by week, set at approval
    # (adherence.schedule, migration 0012): adherence readers need no document.
    planned_weeks: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEvent(Base):
    """Append-only, MAC-chained: hash = HMAC-SHA256(key, prev_hash | canonical event), or,
    for events before migration 0009, sha256(prev_hash | canonical event): mac_alg says which."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))  # UTC ISO 8601, unambiguous (ICH E6(R3))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    mac_alg: Mapped[str] = mapped_column(String(16))  # hmac-sha256 | sha256 (before 0009)


class AuditHead(Base):
    """One row: the last sequence number and MAC. Locking it serialises appends; triggers let
    it only advance by one. legacy_seq: the events before 0009, the only ones that may be
    plain sha256."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    legacy_seq: Mapped[int] = mapped_column(Integer, default=0)


class ApiToken(Base):
    """Bearer tokens and browser sessions, stored only as SHA-256 hashes."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="api")  # api | session
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Browser sessions end after an idle time; written at most once a minute (api_tokens.TOUCH).
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # A session opened by a trusted device's PIN names it: revoking the device ends it (0018).
    device_id: Mapped[int | None] = mapped_column(ForeignKey("trusted_devices.id"), index=True)


class TrustedDevice(Base):
    """A patient's or caregiver's remembered device (services/trusted_devices.py): the device
    keeps a long-lived credential (only its SHA-256 here) and is opened by a short PIN (argon2);
    failed PINs lock it, and the user, a caregiver or the clinic can revoke it (migration 0018)."""

    __tablename__ = "trusted_devices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LoginThrottle(Base):
    """Sign-in attempts in the current window, per hashed key (account, address, both):
    shared by every worker, incremented atomically (services/throttle.py). Never a username."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer)


class MfaSecret(Base):
    """A user's TOTP secret, AES-GCM encrypted; confirmed once a first code was right.
    `last_step` is the last time step used, so that a code is never accepted twice."""

    __tablename__ = "mfa_secrets"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    secret_encrypted: Mapped[str] = mapped_column(String(200))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RecoveryCode(Base):
    """One-time recovery codes (80 random bits each), stored only as SHA-256."""

    __tablename__ = "mfa_recovery_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class IdempotencyKey(Base):
    """A client's retry key: claimed before the work, completed in the work's transaction."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="user_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))  # in_progress | done
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Location, ETag: part of the original response a replay repeats (migration 0006).
    response_headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SessionLog(Base):
    """One exercise session as logged at home: the plan's target beside what was done."""

    __tablename__ = "session_logs"
    # Every logged session reads its plan's last weeks of logs: one range of this index, in
    # order (migration 0005). Its first column serves lookups by patient alone.
    # The rules read a patient's recent logs across plans (a plan approved mid-week keeps the
    # week's logs): the patient-window index (migration 0012).
    __table_args__ = (
        Index("ix_session_logs_plan_window", "patient_id", "prescription_id", "date", "created_at"),
        Index("ix_session_logs_patient_window", "patient_id", "date", "created_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"))
    prescription_id: Mapped[str] = mapped_column(ForeignKey("prescriptions.id"))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    component: Mapped[str] = mapped_column(String(30))
    completed: Mapped[str] = mapped_column(String(10))
    skip_reason: Mapped[str | None] = mapped_column(String(200))
    duration_min: Mapped[float | None] = mapped_column(Float)
    avg_hr_bpm: Mapped[float | None] = mapped_column(Float)
    max_hr_bpm: Mapped[float | None] = mapped_column(Float)
    rpe: Mapped[float | None] = mapped_column(Float)
    sets: Mapped[int | None] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer)
    fatigue_recovery_min: Mapped[float | None] = mapped_column(Float)
    symptoms: Mapped[list[Any]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    planned: Mapped[dict[str, Any]] = mapped_column(JSON)  # the target at the time
    filled_from_plan: Mapped[bool] = mapped_column(Boolean, default=False)
    entered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entered_as: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When it was done, as the device recorded it: a log queued offline arrives later (0018).
    performed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Undone (migration 0012): kept, never deleted, and counted nowhere.
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class SessionWeek(Base):
    """One component's ISO week for one patient: planned sessions and what was logged, kept
    equal to domain/followup/adherence.tally of the week's live logs by every log, undo and
    approval (services/session_weeks.py), so that no reader recounts the logs. Keyed by
    patient, not prescription: a plan approved mid-week keeps the week's logs. Counters as in
    adherence.COUNTERS: one column per completion, then the data (durations in seconds)."""

    __tablename__ = "session_weeks"
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), primary_key=True)
    week: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # Monday
    component: Mapped[str] = mapped_column(String(30), primary_key=True)
    planned: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    partial: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    stopped: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    with_hr: Mapped[int] = mapped_column(Integer, default=0)
    in_hr_range: Mapped[int] = mapped_column(Integer, default=0)
    rpe_n: Mapped[int] = mapped_column(Integer, default=0)
    rpe_total: Mapped[int] = mapped_column(Integer, default=0)
    fatigue_n: Mapped[int] = mapped_column(Integer, default=0)
    fatigue_seconds: Mapped[int] = mapped_column(Integer, default=0)
    with_tolerance: Mapped[int] = mapped_column(Integer, default=0)
    with_symptoms: Mapped[int] = mapped_column(Integer, default=0)


class Alert(Base):
    __tablename__ = "alerts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10), index=True)
    status: Mapped[str] = mapped_column(String(15), default="open", index=True)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(20))  # session | assessment | scan
    raised_on: Mapped[dt.date] = mapped_column(Date)  # the clinical day, passed in (not the clock)
    source_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resolution_note: Mapped[str | None] = mapped_column(Text)


class JobRun(Base):
    """One day's run of a daily job (follow-up scan, key purge): claimed by inserting the
    (job, day) row, so two servers starting together run it once (migration 0010). Counts
    only, never patient data."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "day", name="job_day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # running | ok | failed
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    runner: Mapped[str] = mapped_column(String(100))  # host:pid, to find the process
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(200))  # an error's class, never its text
    counts: Mapped[dict[str, int] | None] = mapped_column(JSON)


class CalendarLink(Base):
    """A revocable address of the patient's weekly plan as an iCalendar feed, for calendar apps
    that cannot sign in (migration 0013). Only the token's SHA-256 is stored; the token itself is
    shown once, when the link is made (services/calendar_links.py)."""

    __tablename__ = "calendar_links"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PasswordReset(Base):
    """A one-time sign-in code an administrator gave a user whose password was reset
    (migration 0015): only the code's SHA-256 is stored; it expires and works once
    (services/password_resets.py)."""

    __tablename__ = "password_resets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ReferenceCohort(Base):
    """A natural-history cohort from outside alsrx (PRO-ACT), drawn behind research plots
    (migration 0016). Kept apart from patients: no centre, no patient rows, never shown as one.
    `counts` is the import's report (rows read, used and skipped per file, by reason)."""

    __tablename__ = "reference_cohorts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    source: Mapped[str] = mapped_column(String(30))  # "proact"
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReferenceSubject(Base):
    """One person of a reference cohort, under the source's own subject id."""

    __tablename__ = "reference_subjects"
    __table_args__ = (UniqueConstraint("cohort_id", "source_id", name="cohort_source"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("reference_cohorts.id"), index=True)
    source_id: Mapped[str] = mapped_column(String(50))
    sex: Mapped[str | None] = mapped_column(String(10))
    age_years: Mapped[float | None] = mapped_column(Float)
    onset_region: Mapped[str | None] = mapped_column(String(20))
    onset_delta_days: Mapped[int | None] = mapped_column(Integer)  # negative: before entry
    died: Mapped[bool | None] = mapped_column(Boolean)
    death_days: Mapped[int | None] = mapped_column(Integer)  # from trial entry


class ReferenceVisit(Base):
    """A reference subject's measurements on one day. `days_since_onset` is None when the
    onset is unknown: then only `days_from_entry` (days from trial entry) places the visit."""

    __tablename__ = "reference_visits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("reference_subjects.id"), index=True)
    days_from_entry: Mapped[int] = mapped_column(Integer)
    days_since_onset: Mapped[int | None] = mapped_column(Integer)
    alsfrs_r_total: Mapped[float | None] = mapped_column(Float)
    items: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # alsfrs_r item codes -> 0-4
    fvc_l: Mapped[float | None] = mapped_column(Float)
    fvc_percent: Mapped[float | None] = mapped_column(Float)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    height_cm: Mapped[float | None] = mapped_column(Float)


class ImportedRecord(Base):
    """A FHIR resource an import stored as (part of) an assessment (migration 0017): its
    source identifier, so the same record imported again is known as a duplicate, and its
    provenance. Who recorded it is a type and identifier, never a name."""

    __tablename__ = "imported_records"
    __table_args__ = (
        UniqueConstraint(
            "patient_id", "source_system", "source_value", name="uq_imported_records_source"
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"))
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id"), index=True)
    resource_type: Mapped[str] = mapped_column(String(40))
    source_system: Mapped[str] = mapped_column(String(255))
    source_value: Mapped[str] = mapped_column(String(255))
    source_author: Mapped[str | None] = mapped_column(String(255))
    bundle_id: Mapped[str | None] = mapped_column(String(255))
    bundle_timestamp: Mapped[str | None] = mapped_column(String(40))  # as the bundle wrote it
    imported_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
