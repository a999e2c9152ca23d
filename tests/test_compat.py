"""The app compatibility table, enrolled live, against FACTS.md section 5."""

from __future__ import annotations

from dataclasses import replace

import pytest

import otpkit
from otpkit import apps, compat

EXPECTED = {
    # app: results against SHA1/6/30, SHA256, 8 digits, 60 s, 80-bit secret
    apps.GOOGLE_AUTHENTICATOR_LEGACY: ("works", "wrong code", "wrong code", "wrong code", "works"),
    apps.GOOGLE_AUTHENTICATOR: ("works", "works", "works", "wrong code", "works"),
    apps.AUTHY: ("works", "wrong code", "wrong code", "wrong code", "works"),
    apps.FREEOTP: ("works", "works", "works", "works", "refused"),
    apps.AEGIS: ("works", "works", "works", "works", "works"),
}


@pytest.fixture(scope="module")
def table() -> list[compat.Outcome]:
    return compat.compatibility()


def test_variants_change_one_thing_each() -> None:
    variants = compat.server_variants()
    assert list(variants) == ["SHA1/6/30", "SHA256", "8 digits", "60 s", "80-bit secret"]
    assert variants["SHA1/6/30"].params == otpkit.MISSKEY.params
    assert variants["SHA256"].params.algorithm == "SHA256"
    assert variants["8 digits"].params.digits == 8
    assert variants["60 s"].params.period == 60
    assert variants["80-bit secret"].secret_nbytes == 10


def test_every_app_against_every_server(table: list[compat.Outcome]) -> None:
    got = {}
    for outcome in table:
        got.setdefault(outcome.app, []).append(outcome.result)
    assert got == {app.title: list(results) for app, results in EXPECTED.items()}


def test_reasons_say_what_was_ignored(table: list[compat.Outcome]) -> None:
    cell = {(o.app, o.server): o for o in table}
    legacy_sha = cell[(apps.GOOGLE_AUTHENTICATOR_LEGACY.title, "SHA256")]
    assert legacy_sha.ignored == ("algorithm SHA256 (uses SHA1)",)
    assert "ignores algorithm SHA256" in legacy_sha.reason
    # Two voices: the server's own answer (Misskey's 500 for a wrong code at i/2fa/done) apart
    # from the kit's reading of why.
    assert legacy_sha.answer is not None and legacy_sha.answer.status == 500
    assert legacy_sha.answer.who == f"{otpkit.MISSKEY.title} with SHA256"
    assert legacy_sha.answer.code == "INTERNAL_ERROR"
    authy_8 = cell[(apps.AUTHY.title, "8 digits")]
    assert authy_8.ignored == ("8 digits (uses 6)",)
    freeotp = cell[(apps.FREEOTP.title, "80-bit secret")]
    assert "128 bits" in freeotp.reason and not freeotp.ok
    assert freeotp.answer is None  # the app refused: the server was never asked
    assert cell[(apps.FREEOTP.title, "60 s")].ok  # FreeOTP honours the period


def test_matrix_text(table: list[compat.Outcome]) -> None:
    text = compat.matrix_text(table)
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["app", "SHA1/6/30"]
    assert len(lines) == 2 + len(apps.ALL)
    assert "refused" in lines[-2] and lines[-2].startswith("FreeOTP")


def test_try_app_on_another_base_policy() -> None:
    hardened = replace(otpkit.HARDENED, params=otpkit.OtpParams(period=60))
    outcome = compat.try_app(apps.GOOGLE_AUTHENTICATOR, hardened, "hardened 60 s")
    assert outcome.result == "wrong code" and outcome.server == "hardened 60 s"


def test_both_misskeys_send_sha1_6_30_and_variants_say_what_changed() -> None:
    assert otpkit.MISSKEY.params == otpkit.MISSKEY_2025.params == otpkit.OtpParams()
    variants = compat.server_variants()
    assert variants["SHA1/6/30"].title == otpkit.MISSKEY.title
    assert variants["60 s"].title == "Misskey 2026.6+ with 60 s"
    assert compat.server_variants(otpkit.MISSKEY_2025)["SHA256"].title == (
        "Misskey 2023.9-2026.5 with SHA256"
    )


def test_a_working_pair_has_no_answer_to_show() -> None:
    outcome = compat.try_app(apps.AEGIS, compat.server_variants()["8 digits"], "8 digits")
    assert outcome.ok and outcome.answer is None and outcome.reason == "codes match"


def test_summary_adds_up_by_app_and_by_server() -> None:
    def o(app: str, server: str, result: str) -> compat.Outcome:
        return compat.Outcome(app, server, result, "")

    outcomes = [
        o("A", compat.AS_SENT, compat.WORKS),
        o("A", "SHA256", compat.WRONG_CODE),
        o("A", "60 s", compat.WORKS),
        o("B", compat.AS_SENT, compat.WORKS),
        o("B", "SHA256", compat.WORKS),
        o("B", "60 s", compat.WORKS),
        o("C", compat.AS_SENT, compat.REFUSED),
        o("C", "SHA256", compat.WORKS),
        o("C", "60 s", compat.WORKS),
    ]
    s = compat.summary(outcomes)
    assert (s.pairs, s.silent, s.refused, s.failing) == (9, 1, 1, 2)
    assert (s.apps, s.everywhere) == (("A", "B", "C"), ("B",))
    assert (s.breaking, s.changed, s.as_sent_ok) == ((compat.AS_SENT, "SHA256"), 2, 2)


def test_the_real_tables_summary_matches_its_rows(table: list[compat.Outcome]) -> None:
    s = compat.summary(table)
    assert s.failing == sum(not o.ok for o in table) and s.pairs == len(table)
    assert set(s.everywhere) == {app for app in s.apps if all(o.ok for o in table if o.app == app)}
