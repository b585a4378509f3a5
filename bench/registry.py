"""A synthetic multi-centre registry for the research benchmarks, reproducible from a seed.

`build(url)` migrates an empty database and fills it the way bench/workspace_world.py does: a
few template rows go through the services (a researcher with every centre, the centres, template
patients with a visit, an approved prescription, session logs and alerts), so that every stored
document shape is one the application wrote; the bulk is then written with Core bulk inserts of
rows varied from the templates by `random.Random(seed)`. The bulk is bench data: the audit chain
covers the template writes only.

Each patient: sex, birth date (age 30-85 at onset), onset region, onset and diagnosis dates, a
centre; `visits` visits about every 3 months whose ALSFRS-R total follows the D50 sigmoid
48 / (1 + exp((t - D50) / dx)) (t: months since onset; D50 15-60 months, dx 3-15, plus noise),
items lowered one point at a time, the onset region's items first, so they always sum to the
total; FVC falling with the total, the 6-minute walk while the patient walks, weight falling.
The `derived` document of a visit is the core's (see bench/registry_derive.py); an approved
prescription (the template's content) from the first visit; its `weeks` weeks of session
tallies with the patient's own adherence, and the session logs they count for the first
`session_logs` patients (all with True); a few alerts per patient.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from alsrx.db import models
from alsrx.db.migrate import upgrade
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.domain.followup.model import Severity, Signal
from alsrx.services import accounts, assessments, followup, patients, prescriptions, session_weeks
from alsrx.services import actor as actor_mod
from alsrx.services import alerts as alerts_service
from alsrx.services import session_logs as logs_service
from alsrx.services.actor import SYSTEM
from alsrx.settings import DEMO_AUDIT_KEY
from bench import registry_derive as derive
from bench import registry_weeks as weeks_mod

TODAY = dt.date(2026, 6, 1)  # fixed, so that a seed always builds the same registry
PASSWORD = "registry-password-1"
RESEARCHER = "registry-researcher"
CLINICIAN = "registry-clinician"
CHUNK = 5000
VISIT_DAYS = 91  # about every 3 months
# The app's onset-region codes (assessment-input schema, patient.onset_region); about a third
# bulbar, respiratory onset rare (a few per cent).
REGIONS = ("bulbar", "upper_limb", "lower_limb", "respiratory")
REGION_WEIGHTS = (0.3, 0.33, 0.33, 0.04)
SIGNALS = (
    Signal("fatigue_prolonged", Severity.WARNING, ()),
    Signal("red_flag", Severity.URGENT, ()),
    Signal("low_adherence", Severity.INFO, ()),
)


def build(
    url: str,
    *,
    patients: int = 50_000,
    visits: int = 15,
    weeks: int = 104,
    centres: int = 6,
    seed: int = 1,
    session_logs: bool | int = 1000,
    exact_derived: bool = False,
) -> dict[str, Any]:
    """Build the registry at `url`; returns what was written and how long each step took.

    `session_logs`: True writes the logs every week tally counts; an int writes them for that
    many patients (the others get their tallies only), False none. `exact_derived`: every visit
    through the core's intake, assessment and rendering, instead of the pooled documents."""
    started = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    factory = session_factory(engine, audit_key=DEMO_AUDIT_KEY)
    timings: dict[str, float] = {}
    try:
        tpl = _templates(factory, centres)
        timings["templates_s"] = time.perf_counter() - started
        logged_n = patients if session_logs is True else int(session_logs or 0)
        counts, samples = _bulk(
            engine,
            tpl,
            patients_n=patients,
            visits=visits,
            weeks=weeks,
            seed=seed,
            logged_n=min(logged_n, patients),
            exact=exact_derived,
            timings=timings,
        )
        checks = {"derived": derive.check(samples, TODAY)}
        logged = _logged_patients(factory, tpl.patient["id"], CHECKED_PATIENTS)
        checks["session_weeks"] = check_weeks(factory, logged)
    finally:
        engine.dispose()
    out: dict[str, Any] = {
        "patients": patients,
        "visits": visits,
        "weeks": weeks,
        "centres": centres,
        "seed": seed,
        "session_log_patients": min(logged_n, patients),
        "derived": "exact" if exact_derived else "pooled",
        "rows": counts,
        "checks": checks,
        "seconds": round(time.perf_counter() - started, 1),
        "steps_s": {k: round(v, 1) for k, v in timings.items()},
        "researcher": RESEARCHER,
        "password": PASSWORD,
        "today": TODAY.isoformat(),
    }
    size = database_bytes(url)
    if size is not None:
        out["database_mb"] = round(size / 1e6, 1)
    return out


CHECKED_PATIENTS = 5  # logged patients whose tallies are recounted after the build


def _logged_patients(factory: sessionmaker[Session], template: str, n: int) -> list[str]:
    table = models.table(models.SessionLog)
    with transaction(factory, write=False) as s:
        query = select(table.c.patient_id).where(table.c.patient_id != template).distinct()
        return list(s.scalars(query.limit(n)))


def database_bytes(url: str) -> int | None:
    """The SQLite file with its WAL, or PostgreSQL's pg_database_size."""
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(select(func.pg_database_size(func.current_database()))).one()[0]
            )
    finally:
        engine.dispose()


# -- templates: through the services ---------------------------------------------------------


class Templates:
    """What the services wrote, as rows to copy."""

    def __init__(self) -> None:
        self.centre_ids: list[int] = []
        self.clinician_id = 0
        self.patient: dict[str, Any] = {}
        self.identity: dict[str, Any] = {}
        self.assessment: dict[str, Any] = {}
        self.prescription: dict[str, Any] = {}
        self.log: dict[str, Any] = {}
        self.alerts: list[dict[str, Any]] = []
        self.visit: dict[str, Any] = {}
        self.targets: dict[str, dict[str, Any]] = {}  # each component's target, as logs store it


def _templates(factory: sessionmaker[Session], centres: int) -> Templates:
    tpl = Templates()
    with transaction(factory) as s:
        for i in range(centres):
            centre = accounts.create_centre(s, SYSTEM, f"Registry centre {i + 1}")
            tpl.centre_ids.append(centre.id)
        ids = tuple(tpl.centre_ids)
        for name, role in ((CLINICIAN, "clinician"), (RESEARCHER, "researcher")):
            accounts.create_user(
                s, SYSTEM, username=name, role=role, password=PASSWORD, centre_ids=ids
            )
    start = TODAY - dt.timedelta(weeks=3)
    with transaction(factory) as s:
        clinician = actor_mod.load(s, accounts.user_by_name(s, CLINICIAN))
        tpl.clinician_id = clinician.user_id
        body = {
            "code": "TEMPLATE-1",
            "sex": "female",
            "birth_date": "1960-03-14",
            "symptom_onset_date": "2025-01-10",
            "diagnosis_date": "2025-06-02",
            "onset_region": "lower_limb",
            "height_cm": 163,
            "weight_kg": 61,
            "ethnicity": "north_east_asian",
        }
        p = patients.create(s, clinician, body, centre_id=tpl.centre_ids[0], today=start)
        s.flush()
        tpl.visit = derive.template_visit(start)
        row = assessments.record(s, clinician, p.id, tpl.visit, today=start)
        s.flush()
        rx = prescriptions.draft(s, clinician, p.id, today=start)
        s.flush()
        prescriptions.approve(
            s,
            clinician,
            rx.id,
            if_match=None,
            today=start,
            acknowledged=prescriptions.points(rx.content),  # the bench reads them all
        )
        s.flush()
        component = rx.content["components"][0]["type"]
        logs_service.log_session(
            s, clinician, p.id, {"component": component, "date": start.isoformat()}, today=start
        )
        alerts_service.raise_alerts(
            s, None, p.id, list(SIGNALS), source="scan", source_id=row.id, today=start
        )
        pid = p.id
        found = followup.active_plan(s, pid, today=start)
        assert found is not None
        tpl.targets = {c.type: logs_service._target(c) for c in found[1].components}
    with transaction(factory, write=False) as s:
        tpl.patient = _one(s, models.Patient, "id", pid)
        tpl.identity = _one(s, models.PatientIdentity, "patient_id", pid)
        tpl.assessment = _one(s, models.Assessment, "patient_id", pid)
        tpl.prescription = _one(s, models.Prescription, "patient_id", pid)
        tpl.log = _one(s, models.SessionLog, "patient_id", pid)
        table = models.table(models.Alert)
        tpl.alerts = [
            dict(r._mapping) for r in s.execute(select(table).where(table.c.patient_id == pid))
        ]
    return tpl


def _one(s: Session, model: type[models.Base], column: str, value: str) -> dict[str, Any]:
    table = models.table(model)
    return dict(s.execute(select(table).where(table.c[column] == value)).one()._mapping)


# -- the bulk: Core inserts of rows varied from the templates --------------------------------


class Writer:
    """Rows per table, inserted in chunks as they fill (parents first: the foreign keys).

    Most tables take lists of dicts through `insert(table)`. The two with millions of rows
    (week tallies, session logs) take tuples, their values already in the driver's form (the
    column types' own bind processors, cached per distinct value), and go to the driver's
    executemany: SQLAlchemy's per-row parameter processing cost more than SQLite's insert."""

    ORDER = (
        models.Patient,
        models.PatientIdentity,
        models.Assessment,
        models.Prescription,
        models.SessionWeek,
        models.SessionLog,
        models.Alert,
    )
    FAST = (models.SessionWeek, models.SessionLog)

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.dialect = conn.dialect
        self.rows: dict[type[models.Base], list[Any]] = {m: [] for m in self.ORDER}
        self.counts: dict[str, int] = {}
        self.statements: dict[type[models.Base], Any] = {
            m: insert(models.table(m)) for m in self.ORDER
        }
        mark = "?" if self.dialect.paramstyle == "qmark" else "%s"
        for m in self.FAST:
            table = models.table(m)
            names = ", ".join(c.name for c in table.columns)
            marks = ", ".join(mark for _ in table.columns)
            self.statements[m] = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
        self._processors: dict[tuple[str, str], Any] = {}
        self._values: dict[tuple[str, str, Any], Any] = {}

    def columns(self, model: type[models.Base]) -> tuple[str, ...]:
        return tuple(c.name for c in models.table(model).columns)

    def value(self, model: type[models.Base], column: str, value: Any) -> Any:
        """`value` as the column's type binds it (dates as text on SQLite, JSON as text)."""
        hashable = value if not isinstance(value, dict | list) else repr(value)
        key = (models.table(model).name, column, hashable)
        found = self._values.get(key, self)
        if found is self:
            processor = models.table(model).c[column].type.bind_processor(self.dialect)
            found = self._values[key] = processor(value) if processor else value
        return found

    def add(self, model: type[models.Base], row: Any) -> None:
        self.rows[model].append(row)

    def extend(self, model: type[models.Base], rows: Any) -> None:
        self.rows[model].extend(rows)

    def flush(self, *, final: bool = False) -> bool:
        """Insert every table whose rows reached a chunk (all of them at the end, in order)."""
        if not final and not any(len(r) >= CHUNK for r in self.rows.values()):
            return False
        for model in self.ORDER:  # parents before children, so the foreign keys hold
            rows = self.rows[model]
            if rows:
                if model in self.FAST:
                    self.conn.exec_driver_sql(self.statements[model], rows)
                else:
                    self.conn.execute(self.statements[model], rows)
                name = models.table(model).name
                self.counts[name] = self.counts.get(name, 0) + len(rows)
                self.rows[model] = []
        return True


def _bulk_engine(engine: Engine) -> Engine:
    """For SQLite, an engine without the app's durability (synchronous=FULL, BEGIN IMMEDIATE):
    bench data is rebuilt, not recovered, and an fsync per chunk only slows the build."""
    if engine.dialect.name != "sqlite":
        return engine
    bulk = create_engine(engine.url)

    @event.listens_for(bulk, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return bulk


def _bulk(
    engine: Engine,
    tpl: Templates,
    *,
    patients_n: int,
    visits: int,
    weeks: int,
    seed: int,
    logged_n: int,
    exact: bool,
    timings: dict[str, float],
) -> tuple[dict[str, int], list[Any]]:
    rng = random.Random(seed)
    ids = weeks_mod.uuids(rng)
    deriver = derive.Deriver(TODAY, exact_all=exact)
    declines = derive.Declines(rng)
    planner = weeks_mod.Planner(tpl.prescription, tpl.log, tpl.targets, seed)
    samples: list[Any] = []
    every = max(1, patients_n * visits // SAMPLES)
    started = time.perf_counter()
    bulk = _bulk_engine(engine)
    with bulk.connect() as conn:
        out = Writer(conn)
        for i in range(patients_n):
            p = derive.make_patient(rng, i, today=TODAY, visits=visits, weeks=weeks)
            pid, rid = ids(), ids()
            _patient(out, tpl, rng, deriver, p, i, pid, rid, ids, samples, every, declines)
            planner.weeks(
                out,
                pid=pid,
                rid=rid,
                starts_on=p.first_visit,
                adherence_level=p.adherence,
                weeks=weeks,
                logs=i < logged_n,
                entered_by=tpl.clinician_id,
                ids=ids,
            )
            _alerts(out, tpl, rng, p, pid, ids)
            if out.flush():
                conn.commit()
        out.flush(final=True)
        conn.commit()
    if bulk is not engine:
        bulk.dispose()
    timings["bulk_s"] = time.perf_counter() - started
    timings["derive_s"] = deriver.seconds
    counts = dict(out.counts)
    counts["derived_through_core"] = deriver.computed
    return counts, samples


SAMPLES = 500  # visits compared with the exact core after the build, spread over the registry


def _patient(
    out: Writer,
    tpl: Templates,
    rng: random.Random,
    deriver: derive.Deriver,
    p: derive.Synthetic,
    i: int,
    pid: str,
    rid: str,
    ids: Any,
    samples: list[Any],
    every: int,
    declines: derive.Declines,
) -> None:
    out.add(
        models.Patient,
        dict(
            tpl.patient,
            id=pid,
            centre_id=tpl.centre_ids[i % len(tpl.centre_ids)],
            code=f"R{i:06d}",
            research_id=ids(),
            sex=p.sex,
            height_cm=p.height,
            weight_kg=p.weight,
            ethnicity=p.ethnicity,
            symptom_onset_date=p.onset,
            diagnosis_date=p.diagnosis,
            onset_region=p.region,
            created_at=_moment(p.first_visit, 0),
        ),
    )
    out.add(models.PatientIdentity, dict(tpl.identity, patient_id=pid, birth_date=p.birth))
    first_id = ""
    for k, (day, doc) in enumerate(derive.course(p, rng, declines)):
        derived = deriver.derived(p, doc)
        if (i * p.visits + k) % every == 0:
            samples.append((p, doc, derived))
        aid = ids()
        first_id = first_id or aid
        row = dict(
            tpl.assessment,
            id=aid,
            series_id=aid,
            patient_id=pid,
            date=day,
            data=doc,
            derived=derived,
            entered_by=tpl.clinician_id,
            created_at=_moment(day, k),
            total=derived["alsfrs_r"]["total"],
            kings_stage=derived["kings_stage"],
            mitos_stage=derived["mitos_stage"],
            progression_category=derived["progression"]["category"],
            fvc_percent=derived["fvc"]["percent_predicted"],
        )
        out.add(models.Assessment, row)
    approved = _moment(p.first_visit, 0)
    out.add(
        models.Prescription,
        dict(
            tpl.prescription,
            id=rid,
            patient_id=pid,
            assessment_id=first_id,
            supersedes_id=None,
            created_by=tpl.clinician_id,
            approved_by=tpl.clinician_id,
            starts_on=p.first_visit,
            approved_at=approved,
            created_at=approved,
        ),
    )


def _moment(day: dt.date, k: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9 + k % 8, tzinfo=dt.UTC)


def _alerts(
    out: Writer, tpl: Templates, rng: random.Random, p: derive.Synthetic, pid: str, ids: Any
) -> None:
    """One to four alerts over the patient's course, most of them dealt with."""
    days = max(1, (TODAY - p.first_visit).days)
    for _ in range(rng.randint(1, 4)):
        day = p.first_visit + dt.timedelta(days=rng.randrange(days))
        status = "open" if rng.random() < 0.2 else rng.choice(("acknowledged", "resolved"))
        row = dict(rng.choice(tpl.alerts), id=ids(), patient_id=pid, raised_on=day)
        out.add(models.Alert, row | {"status": status, "created_at": _moment(day, 0)})


def check_weeks(factory: sessionmaker[Session], patient_ids: list[str]) -> dict[str, int]:
    """The stored tallies of logged patients against services/session_weeks.recount of their
    logs: how many patients match."""
    table = models.table(models.SessionLog)
    equal = 0
    with transaction(factory, write=False) as s:
        for pid in patient_ids:
            rows = s.execute(select(table).where(table.c.patient_id == pid)).all()
            logs = [
                (followup.to_domain(r), False, session_weeks.target_hr(r.planned))  # type: ignore[arg-type]
                for r in rows
            ]
            want = session_weeks.recount(session_weeks.spans(s, pid), logs)
            have = session_weeks.stored(s, pid)
            equal += [(t.week, t.component, t.planned, dict(t.counts)) for t in want] == [
                (t.week, t.component, t.planned, dict(t.counts)) for t in have
            ]
    return {"patients": len(patient_ids), "equal": equal}
