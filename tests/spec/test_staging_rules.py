"""King's (Balendra 2014 estimation) and MiToS (Chiò 2015, Table 1) from their rule tables.

Each row changes items of an otherwise normal ALSFRS-R and states the stage the published rules
give; King's 4A/4B/4A+4B follow the alsrx convention stated in issue 2.
"""

import pytest
from tests.conftest import NORMAL_ITEMS

from alsrx.domain.scales import alsfrs_r, kings, mitos


def scale(**changes):
    items = dict(NORMAL_ITEMS)
    if "q5b_cutting_food_gastrostomy" in changes:
        items.pop("q5a_cutting_food")
    items.update(changes)
    return alsfrs_r.score(items)


KINGS = [
    ({}, "1"),  # no region below 4 still counts one region (yoonhohong reassigns 0 -> 1)
    ({"q6_dressing_hygiene": 2, "q9_climbing_stairs": 1}, "1"),
    ({"q2_salivation": 3}, "1"),
    ({"q5a_cutting_food": 3}, "1"),
    ({"q1_speech": 3, "q4_handwriting": 2}, "2"),
    ({"q3_swallowing": 3, "q8_walking": 3}, "2"),
    ({"q1_speech": 3, "q4_handwriting": 3, "q8_walking": 3}, "3"),
    ({"q5b_cutting_food_gastrostomy": 3}, "4A"),
    ({"q12_respiratory_insufficiency": 3}, "4B"),
    ({"q10_dyspnea": 0}, "4B"),
    ({"q10_dyspnea": 1}, "1"),
    ({"q5b_cutting_food_gastrostomy": 2, "q12_respiratory_insufficiency": 2}, "4A+4B"),
]


@pytest.mark.parametrize(("changes", "expected"), KINGS)
def test_kings_stage_follows_the_balendra_rules(changes, expected):
    assert kings.stage(scale(**changes)).stage == expected


MITOS = [
    ({}, 0),
    ({"q8_walking": 1}, 1),
    ({"q6_dressing_hygiene": 1}, 1),
    ({"q8_walking": 2, "q6_dressing_hygiene": 2}, 0),
    ({"q3_swallowing": 1}, 1),
    ({"q1_speech": 1}, 0),  # communication needs speech AND handwriting lost
    ({"q1_speech": 1, "q4_handwriting": 1}, 1),
    ({"q10_dyspnea": 1}, 1),
    ({"q12_respiratory_insufficiency": 2}, 1),
    ({"q12_respiratory_insufficiency": 3}, 0),
    (
        {
            "q8_walking": 0,
            "q3_swallowing": 0,
            "q1_speech": 0,
            "q4_handwriting": 0,
            "q10_dyspnea": 0,
        },
        4,
    ),
]


@pytest.mark.parametrize(("changes", "expected"), MITOS)
def test_mitos_stage_counts_the_domains_lost_in_chio_table_1(changes, expected):
    assert mitos.stage(scale(**changes)).stage == expected
