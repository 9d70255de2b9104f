"""Cell values read the way a German or English recruiter wrote them, a module for each
kind of value.

Each parser takes a cell as python-calamine yields it and returns the value, an empty
value (None, "" or []) for a blank cell, or raises ValueError with a message for the
recruiter that names the cell's text. Checks that every channel shares (lengths, email,
the phone number itself, custom field kinds) stay in `silverpool.talents.validation`.
"""

from .amounts import (
    Salary,
    bare_salary,
    parse_currency,
    parse_number,
    parse_salary,
    parse_salary_period,
    salary_remark_off,
)
from .dates import is_notice_period, notice_off, parse_date
from .emails import parse_emails
from .names import FullName, name_part, split_full_name
from .phone_numbers import Phone, parse_phone, region_of
from .places import (
    country_names,
    is_region,
    parse_countries,
    parse_country,
    postcode_of,
    region_off,
    split_postcode_city,
)
from .tag_names import parse_tags
from .text import clean_text, is_no_value, is_remark, note_text, remark_off

__all__ = [
    "FullName",
    "Phone",
    "Salary",
    "bare_salary",
    "clean_text",
    "country_names",
    "is_no_value",
    "is_notice_period",
    "is_region",
    "is_remark",
    "name_part",
    "note_text",
    "notice_off",
    "parse_countries",
    "parse_country",
    "parse_currency",
    "parse_date",
    "parse_emails",
    "parse_number",
    "parse_phone",
    "parse_salary",
    "parse_salary_period",
    "parse_tags",
    "postcode_of",
    "region_of",
    "region_off",
    "remark_off",
    "salary_remark_off",
    "split_full_name",
    "split_postcode_city",
]
