"""Phone-number normalisation: the identity of a caller."""

from __future__ import annotations

import pytest

from callcenter.domain.phone import digits_reversed, format_for_display, national_part, normalize


@pytest.mark.parametrize(
    "raw",
    [
        "(212) 555-0142",
        "+12125550142",
        "12125550142",
        "212.555.0142 x12",
        "tel:+1-212-555-0142",
        "sip:+12125550142@10.1.2.3:5060;user=phone",
        "<sip:+12125550142@10.1.2.3>",
    ],
)
def test_us_forms_share_one_key(raw):
    assert normalize(raw, "US").key == "+12125550142"


def test_international_dialling_from_the_us():
    assert normalize("011 44 20 7946 0018", "US").key == "+442079460018"


@pytest.mark.parametrize("raw", ["008613800138000", "8613800138000", "+86 138 0013 8000"])
def test_china_mobile_forms(raw):
    assert normalize(raw, "CN").key == "+8613800138000"


def test_china_landline_with_trunk_prefix():
    assert normalize("(020) 8765 4321", "CN").key == "+862087654321"


def test_extension_is_kept_apart_from_the_key():
    number = normalize("212.555.0142 x12", "US")
    assert (number.key, number.extension) == ("+12125550142", "12")


@pytest.mark.parametrize(
    "raw",
    [
        "anonymous",
        "Unknown",
        "RESTRICTED",
        "private",
        "",
        "  ",
        None,
        "sip:anonymous@anonymous.invalid",
    ],
)
def test_withheld_caller_ids(raw):
    number = normalize(raw, "US")
    assert number.withheld and number.key == ""


@pytest.mark.parametrize("prefix_form", ["912125550142", "9 (212) 555-0142", "92125550142"])
def test_outside_line_prefix_is_stripped(prefix_form):
    assert normalize(prefix_form, "US", "9").key == "+12125550142"


def test_prefix_is_kept_when_stripping_it_leaves_no_real_number():
    # 917 is a New York area code; without its 9 what is left is no real number.
    assert normalize("9175550123", "US", "9").key == "+19175550123"


@pytest.mark.parametrize(
    ("raw", "key", "problem"),
    [
        ("ext 201", "201", "impossible"),
        ("12", "12", "impossible"),
        ("call me", "", "unparseable"),
        ("++--", "", "unparseable"),
    ],
)
def test_unparseable_numbers_fall_back_to_digits_and_never_raise(raw, key, problem):
    number = normalize(raw, "US")
    assert (number.key, number.parsed, number.problem, number.withheld) == (
        key,
        False,
        problem,
        False,
    )


def test_possible_but_unassigned_numbers_keep_e164_and_say_so():
    number = normalize("+1 555 123 4567", "US")
    assert (number.key, number.valid, number.problem) == ("+15551234567", False, "invalid")


def test_search_helpers():
    assert national_part("+12125550142") == "2125550142"
    assert national_part("+442079460018") == "2079460018"
    assert national_part("201") == "201"
    assert digits_reversed("+12125550142") == "24105552121"


def test_display_format_is_national_at_home_and_international_abroad():
    assert format_for_display("+12125550142", "US") == "(212) 555-0142"
    assert format_for_display("+442079460018", "US") == "+44 20 7946 0018"
    assert format_for_display("201", "US") == "201"
