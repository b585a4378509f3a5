"""ALSFRS-R item titles and answer anchors, for entry forms in the user's language.

Paraphrased from the scale (Cedarbaum 1999; clinical-facts 1.1); the ENCALS or official form's
exact wording should replace these before clinical release (licensing and validation).
"""

from __future__ import annotations

from alsrx.i18n import N_

ITEMS: tuple[tuple[str, str, tuple[str, str, str, str, str]], ...] = (
    (
        "q1_speech",
        N_("1. Speech"),
        (
            N_("Loss of useful speech"),
            N_("Speech combined with non-vocal communication"),
            N_("Intelligible with repeating"),
            N_("Detectable speech disturbance"),
            N_("Normal speech"),
        ),
    ),
    (
        "q2_salivation",
        N_("2. Salivation"),
        (
            N_("Marked drooling; needs constant tissue or handkerchief"),
            N_("Marked excess saliva with some drooling"),
            N_("Moderately excessive saliva; may have minimal drooling"),
            N_("Slight but definite excess saliva; may have night-time drooling"),
            N_("Normal"),
        ),
    ),
    (
        "q3_swallowing",
        N_("3. Swallowing"),
        (
            N_("Nothing by mouth; exclusively tube or parenteral feeding"),
            N_("Needs supplemental tube feeding"),
            N_("Dietary consistency changes"),
            N_("Early eating problems; occasional choking"),
            N_("Normal eating habits"),
        ),
    ),
    (
        "q4_handwriting",
        N_("4. Handwriting"),
        (
            N_("Unable to grip pen"),
            N_("Able to grip pen but unable to write"),
            N_("Not all words are legible"),
            N_("Slow or sloppy; all words are legible"),
            N_("Normal"),
        ),
    ),
    (
        "q5a_cutting_food",
        N_("5a. Cutting food and handling utensils (no gastrostomy)"),
        (
            N_("Needs to be fed"),
            N_("Food must be cut by someone, but can still feed slowly"),
            N_("Can cut most foods, although clumsy and slow; some help needed"),
            N_("Somewhat slow and clumsy, but no help needed"),
            N_("Normal"),
        ),
    ),
    (
        "q5b_cutting_food_gastrostomy",
        N_("5b. Cutting food and handling utensils (with gastrostomy)"),
        (
            N_("Unable to perform any aspect of the task"),
            N_("Provides minimal assistance to caregiver"),
            N_("Some help needed with closures and fasteners"),
            N_("Clumsy but able to perform all manipulations independently"),
            N_("Normal"),
        ),
    ),
    (
        "q6_dressing_hygiene",
        N_("6. Dressing and hygiene"),
        (
            N_("Total dependence"),
            N_("Needs attendant for self-care"),
            N_("Intermittent assistance or substitute methods"),
            N_("Independent and complete self-care with effort or decreased efficiency"),
            N_("Normal function"),
        ),
    ),
    (
        "q7_turning_in_bed",
        N_("7. Turning in bed and adjusting bed clothes"),
        (
            N_("Helpless"),
            N_("Can initiate, but not turn or adjust sheets alone"),
            N_("Can turn alone or adjust sheets, but with great difficulty"),
            N_("Somewhat slow and clumsy, but no help needed"),
            N_("Normal"),
        ),
    ),
    (
        "q8_walking",
        N_("8. Walking"),
        (
            N_("No purposeful leg movement"),
            N_("Non-ambulatory functional movement only"),
            N_("Walks with assistance"),
            N_("Early ambulation difficulties"),
            N_("Normal"),
        ),
    ),
    (
        "q9_climbing_stairs",
        N_("9. Climbing stairs"),
        (
            N_("Cannot do"),
            N_("Needs assistance"),
            N_("Mild unsteadiness or fatigue"),
            N_("Slow"),
            N_("Normal"),
        ),
    ),
    (
        "q10_dyspnea",
        N_("10. Dyspnoea (shortness of breath)"),
        (
            N_("Significant difficulty; considering mechanical respiratory support"),
            N_("Occurs at rest, sitting or lying"),
            N_("Occurs with one or more of eating, bathing, dressing"),
            N_("Occurs when walking"),
            N_("None"),
        ),
    ),
    (
        "q11_orthopnea",
        N_("11. Orthopnoea (breathless lying flat)"),
        (
            N_("Unable to sleep"),
            N_("Can only sleep sitting up"),
            N_("Needs extra pillows (more than two) to sleep"),
            N_("Some difficulty sleeping at night due to shortness of breath"),
            N_("None"),
        ),
    ),
    (
        "q12_respiratory_insufficiency",
        N_("12. Respiratory insufficiency"),
        (
            N_("Invasive mechanical ventilation by intubation or tracheostomy"),
            N_("Continuous use of BiPAP during the night and day"),
            N_("Continuous use of BiPAP during the night"),
            N_("Intermittent use of BiPAP"),
            N_("None"),
        ),
    ),
)
