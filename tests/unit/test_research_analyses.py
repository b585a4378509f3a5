"""A cohort's analyses as shown: counts through the disclosure policy, a group's statistics only
above its threshold, the mixed model only between groups it may show."""

from __future__ import annotations

import numpy as np
import pytest

from alsrx.analytics import d50, disclosure
from alsrx.services.research_analyses import analyse
from alsrx.services.research_cohort import Subject


def subject(i, group, *, d50_months, dx=8.0, visits=6, centre="A"):
    months = tuple(6.0 + 4.0 * k for k in range(visits))
    totals = tuple(float(np.round(d50.model(m, d50_months, dx))) for m in months)
    return Subject(
        research_id=f"r{i:04d}", centre=centre, onset_region="lower_limb", kings_stage="2",
        category="intermediate", programme=group, sessions_per_week=3, adherence=0.8,
        months=months, totals=totals, fvc_percent=(None,) * visits,
        groups={"programme": group},
    )  # fmt: skip


def cohort(sizes):
    out, i = [], 0
    for group, (n, months) in sizes.items():
        for _ in range(n):
            out.append(subject(i, group, d50_months=months + (i % 5)))
            i += 1
    return out


def test_counts_go_through_the_policy_and_a_small_groups_statistics_are_withheld():
    result = analyse(
        cohort({"combined": (13, 20.0), "aerobic": (5, 40.0)}),
        grouping="programme", anchor_at_onset=False, policy=disclosure.OPENSAFELY,
    )  # fmt: skip
    groups = {g.code: g for g in result.groups}
    assert result.patients == 20  # 18 rounded to the nearest 5
    assert groups["combined"].patients == 15 and groups["combined"].d50_median is not None
    assert groups["aerobic"].patients == 0  # 5 is at most 7: redacted
    assert groups["aerobic"].slope_median is None and groups["aerobic"].d50_median is None
    assert result.comparison is None and result.comparison_refused == "small_groups"
    assert all(n is None or n % 5 == 0 for _, n in result.d50_histogram)


def test_under_cms_small_counts_are_suppressed_not_zeroed():
    result = analyse(
        cohort({"combined": (12, 20.0), "aerobic": (9, 40.0)}),
        grouping="programme", anchor_at_onset=False, policy=disclosure.CMS,
    )  # fmt: skip
    groups = {g.code: g for g in result.groups}
    assert groups["combined"].patients == 12 and groups["aerobic"].patients is None


def test_the_mixed_model_compares_groups_it_may_show_and_finds_the_faster_decline():
    result = analyse(
        cohort({"combined": (15, 45.0), "aerobic": (15, 22.0)}),
        grouping="programme", anchor_at_onset=False, policy=disclosure.OPENSAFELY,
    )  # fmt: skip
    assert result.comparison is not None and result.comparison_refused is None
    slopes = {g.group: g.slope for g in result.comparison.slopes}
    assert slopes["aerobic"] < slopes["combined"] < 0  # D50 22 months declines faster
    groups = {g.code: g for g in result.groups}
    assert groups["aerobic"].d50_median == pytest.approx(24.0, abs=0.6)  # 22 + (0..4), median 2


def test_one_group_has_nothing_to_compare():
    result = analyse(
        cohort({"combined": (12, 30.0)}),
        grouping="programme", anchor_at_onset=True, policy=disclosure.OPENSAFELY,
    )  # fmt: skip
    assert result.comparison is None and result.comparison_refused == "one_group"
    assert result.anchor_at_onset is True


def test_the_course_withholds_a_bin_with_too_few_patients_and_draws_the_reference():
    subjects = cohort({"combined": (10, 30.0)})
    reference = [((6.0, 46.0), (10.0, 44.0))] * 9
    result = analyse(
        subjects, grouping="programme", anchor_at_onset=False, policy=disclosure.OPENSAFELY,
        reference=reference,
    )  # fmt: skip
    assert result.course.bins[:2] == (6, 12)
    means = result.course.means["combined"]
    assert means[0] is not None and result.course.reference[0] == pytest.approx(45.0)
    few = analyse(
        subjects[:7], grouping="programme", anchor_at_onset=False, policy=disclosure.OPENSAFELY
    )
    assert all(v is None for v in few.course.means["combined"])
