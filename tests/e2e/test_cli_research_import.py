"""`alsrx research import-proact DIR`: a report of what was read, and errors naming the file."""

import os
import sqlite3
import subprocess
import sys

from tests import proact_files


def alsrx(args, env):
    return subprocess.run(
        [sys.executable, "-m", "alsrx", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_the_cli_imports_a_proact_directory_and_says_what_it_read_and_skipped(tmp_path):
    db = tmp_path / "research.db"
    env = dict(os.environ, ALSRX_DATABASE_URL=f"sqlite:///{db}", ALSRX_DEMO_MODE="true")
    assert alsrx(["db", "upgrade"], env).returncode == 0
    directory = proact_files.write_directory(tmp_path / "proact")

    done = alsrx(["research", "import-proact", str(directory), "--name", "PRO-ACT 2024"], env)
    assert done.returncode == 0, done.stderr
    assert "Reference cohort PRO-ACT 2024: subjects 2, visits 3" in done.stdout
    assert "PROACT_ALSFRS.csv: 3 of 6 rows used" in done.stdout
    assert "PROACT_FVC.csv: not found, not read" in done.stdout
    assert "1 skipped: alsfrs_r_total is out of range" in done.stdout

    zh = alsrx(
        ["research", "import-proact", str(directory), "--name", "PRO-ACT 2024"],
        env | {"ALSRX_LANG": "zh"},
    )
    assert zh.returncode == 0 and "已替换同名的原有队列" in zh.stdout

    conn = sqlite3.connect(db)
    cohorts = conn.execute("SELECT name FROM reference_cohorts").fetchall()
    patients = conn.execute("SELECT count(*) FROM patients").fetchone()
    conn.close()
    assert cohorts == [("PRO-ACT 2024",)] and patients == (0,)


def test_a_missing_alsfrs_file_or_subject_column_exits_non_zero_naming_it(tmp_path):
    db = tmp_path / "research.db"
    env = dict(os.environ, ALSRX_DATABASE_URL=f"sqlite:///{db}", ALSRX_DEMO_MODE="true")
    assert alsrx(["db", "upgrade"], env).returncode == 0
    (tmp_path / "empty").mkdir()
    no_file = alsrx(["research", "import-proact", str(tmp_path / "empty")], env)
    assert no_file.returncode == 2 and "PROACT_ALSFRS.csv" in no_file.stderr

    bad = tmp_path / "bad"
    bad.mkdir()
    proact_files.write_csv(bad / "PROACT_ALSFRS.csv", [{"Patient": "1", "ALSFRS_Delta": "0"}])
    no_column = alsrx(["research", "import-proact", str(bad)], env)
    assert no_column.returncode == 1
    assert "PROACT_ALSFRS.csv: has no subject_id column" in no_column.stderr
