"""Errors in words: a page names the field as its form does, never by its path."""

from alsrx import errors
from alsrx.render.messages import error_document, error_lines, field_lines
from alsrx.web.pages.render import format_number


def test_a_field_error_names_the_field_in_words_and_never_its_path():
    exc = errors.InvalidInput(
        [errors.FieldError("assessment.fvc_l", "out_of_range", {"min": 0.5, "max": 8, "unit": "L"})]
    )
    assert field_lines(exc, "en") == ["FVC (litres): must be a number from 0.5 to 8 L"]
    assert field_lines(exc, "zh")[0].startswith("用力肺活量（升）")
    unknown = errors.InvalidInput([errors.FieldError("x.mystery_field", "required")])
    assert field_lines(unknown, "en") == ["is required"]


def test_the_api_keeps_code_and_path_with_the_message_in_the_readers_language():
    doc = error_document(errors.NotFound("patient"), "zh")["error"]
    assert doc["code"] == "not_found" and doc["message"] == "此患者不存在，或不属于您的中心"
    stale = error_lines(
        errors.PreconditionFailed("the patient was changed since this version"), "en"
    )
    assert stale == ["Someone changed this since you opened it; reload the page"]
    draft = error_lines(errors.Conflict("only a draft can be changed (this one is active)"), "en")
    assert draft == ["Only a draft can be changed (this one is active)"]


def test_numbers_are_shown_by_the_one_rounding_rule():
    assert format_number(0.125, "en", 2) == "0.13"
    assert format_number(2.675, "en", 2) == "2.68"
