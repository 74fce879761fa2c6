"""Bulk E.164 normalisation in SQL agrees with the phonenumbers parser, number by number."""

import random

import duckdb
import pytest

from workstation import phones
from workstation.normalise import _phone_e164_parser, phone_e164


def _samples(n=4000, seed=7):
    rnd = random.Random(seed)
    forms = ["{}", "0{}", "+{}", "00{}", "+62 {}", "62{}", "+60 {}", "0812-{}", "+1 {}", "+39 0{}",
             "(0541) {}", "+62 812-{}", "60{}", "+63 9{}", "+65 {}", "+7 {}", "+44 {}", "+86 1{}", "012-{}"]
    out = set()
    while len(out) < n:
        digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(5, 13)))
        out.add(rnd.choice(forms).format(digits))
    return sorted(out) + ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "888", "", "abc",
                          "+60 12-345 6789", "012-345 6789", "0198765432"]


@pytest.mark.parametrize("region", ["ID", "MY", "PH", "SG", "AU", "CN", "DE", "JP", "US", "IT", None])
def test_bulk_equals_reference(region):
    samples = _samples()
    got = phones.normalise(duckdb.connect(), samples, region)
    wrong = [(s, got[s], _phone_e164_parser(s, region)) for s in samples if got[s] != _phone_e164_parser(s, region)]
    assert not wrong, wrong[:10]
    # and the per-value function used elsewhere agrees too
    assert all(phone_e164(s, region) == got[s] for s in samples[:500])


def test_indonesian_forms_are_one_number():
    got = phones.normalise(duckdb.connect(), ["0812-3456-7890", "+62 812 3456 7890", "6281234567890"], "ID")
    assert set(got.values()) == {"+6281234567890"}
