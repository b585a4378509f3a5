"""GLI-2012 FVC against pyspiro, an independent implementation used only as a test oracle.

pyspiro carries its own copy of the GLI look-up tables and its own LMS code; agreement across a
grid of ages (including non-quarter ages), heights, sexes and all five groups checks our table
transcription, coefficients and interpolation together.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alsrx.domain.equations import gli2012
from alsrx.domain.sex import Sex

pyspiro = pytest.importorskip("pyspiro")
ORACLE = pyspiro.GLI_2012()
FVC = pyspiro.GLI_2012.Parameters.FVC
GROUP_CODE = {
    gli2012.Group.CAUCASIAN: 1,
    gli2012.Group.AFRICAN_AMERICAN: 2,
    gli2012.Group.NORTH_EAST_ASIAN: 3,
    gli2012.Group.SOUTH_EAST_ASIAN: 4,
    gli2012.Group.OTHER: 5,
}
SEX_CODE = {Sex.MALE: 1, Sex.FEMALE: 0}


@settings(max_examples=300, deadline=None)
@given(
    sex=st.sampled_from(list(Sex)),
    group=st.sampled_from(list(gli2012.Group)),
    age=st.floats(min_value=18.0, max_value=95.0),
    height=st.floats(min_value=140.0, max_value=205.0),
    measured=st.floats(min_value=0.5, max_value=6.5),
)
def test_lms_and_z_agree_with_pyspiro_everywhere(sex, group, age, height, measured):
    ours = gli2012.lms(sex=sex, age_years=age, height_cm=height, group=group)
    l, m, s = ORACLE.lms(SEX_CODE[sex], age, height, GROUP_CODE[group], FVC, measured)
    assert ours.l == pytest.approx(float(l), abs=1e-9)
    assert ours.m == pytest.approx(float(m), rel=1e-9)
    assert ours.s == pytest.approx(float(s), rel=1e-9)
    oracle_z = ORACLE.zscore(SEX_CODE[sex], age, height, GROUP_CODE[group], FVC, measured)
    assert gli2012.z_score(measured, ours) == pytest.approx(float(oracle_z), abs=1e-9)
