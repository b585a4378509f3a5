"""GLI-2012 FVC against published-software vectors.

Table source: clinical-facts 7.4, values computed with pyspiro 1.0.0 GLI_2012 and cross-checked
against rspiro's RLookupTable.csv (independent code) to <= 0.0003 L. Quanjer et al. ERJ 2012.
"""

import pytest

from alsrx.domain.equations import gli2012
from alsrx.domain.sex import Sex

G = gli2012.Group
# sex, age, height, group, L, M, S, LLN, % predicted of 3.0 L, z of 3.0 L
TABLE = [
    (Sex.MALE, 60, 175, G.CAUCASIAN, 0.9481, 4.4685, 0.14514, 3.409, 67.14, -2.286),
    (Sex.FEMALE, 55, 162, G.CAUCASIAN, 0.8236, 3.2913, 0.14233, 2.537, 91.15, -0.627),
    (Sex.MALE, 60, 170, G.NORTH_EAST_ASIAN, 0.9481, 4.0012, 0.09162, 3.401, 74.98, -2.751),
    (Sex.FEMALE, 50, 158, G.NORTH_EAST_ASIAN, 0.8236, 3.1545, 0.11268, 2.580, 95.10, -0.436),
    (Sex.MALE, 67.3, 181, G.CAUCASIAN, 0.9481, 4.5463, 0.15442, 3.400, None, None),
]


@pytest.mark.parametrize(("sex", "age", "height", "group", "l", "m", "s", "lln", "pct", "z"), TABLE)
def test_fvc_lms_lln_percent_and_z_match_the_published_vectors(
    sex,
    age,
    height,
    group,
    l,
    m,
    s,
    lln,
    pct,
    z,
):
    ref = gli2012.lms(sex=sex, age_years=age, height_cm=height, group=group)
    assert ref.l == pytest.approx(l, abs=1e-4)
    assert ref.m == pytest.approx(m, abs=1e-4)
    assert ref.s == pytest.approx(s, abs=1e-5)
    assert gli2012.lln(ref) == pytest.approx(lln, abs=1e-3)
    if pct is not None:
        result = gli2012.assess(
            sex=sex, age_years=age, height_cm=height, group=group, measured_l=3.0
        )
        assert result.percent_predicted == pytest.approx(pct, abs=0.01)
        assert result.z_score == pytest.approx(z, abs=1e-3)


def test_fvc_outside_the_gli_age_range_is_null_with_a_reason():
    result = gli2012.assess(
        sex=Sex.MALE, age_years=96.0, height_cm=170, group=G.CAUCASIAN, measured_l=2.0
    )
    assert result.predicted_l is None
    assert result.unavailable[0].code == "outside_reference_range"


def test_fvc_without_an_ethnic_group_is_not_guessed():
    result = gli2012.assess(sex=Sex.MALE, age_years=60, height_cm=170, group=None, measured_l=2.0)
    assert result.predicted_l is None and result.percent_predicted is None
    assert [r.field for r in result.unavailable] == ["patient.ethnicity"]
