"""The token check's own parts: what an Outcome may say, backup codes on accounts that cannot use
them, a refused backup code in the server's log, and the lessons' helpers on an unknown user."""

from __future__ import annotations

import pytest

import otpkit
from otpkit.server.store import Account, MemoryStore
from otpkit.server.two_factor import OUTCOMES, Outcome, TwoFactorCheck

from .conftest import AT, PASSWORD, enrolled, fast


@pytest.mark.parametrize("kind", ["XXwrongXX", "WRONG", None, "", "refused"])
def test_an_outcome_of_no_known_kind_is_refused(kind):
    with pytest.raises(ValueError, match="an outcome is one of"):
        Outcome(kind)


def test_every_known_kind_makes_an_outcome_and_only_ok_is_ok():
    assert [Outcome(kind).ok for kind in OUTCOMES] == [kind == "ok" for kind in OUTCOMES]


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.HARDENED], ids=lambda p: p.name)
def test_no_backup_code_is_spent_for_a_missing_account_or_one_without_2fa(policy):
    store = MemoryStore()
    store.create(Account(username="carol", password_hash="x", backup_codes=("A" * 32,)))
    check = TwoFactorCheck(policy, store, race_hook=lambda: None)
    if not policy.atomic_backup_use:  # the atomic path is only reached with an account
        assert check.use_backup_code("nobody", "A" * 32, AT, None) is None
    outcome = check.use_backup_code("carol", "A" * 32, AT, None)
    assert outcome is None or not outcome.ok
    assert store.get("carol").backup_codes == ("A" * 32,)


@pytest.mark.parametrize(
    "policy", [otpkit.HARDENED, otpkit.DJANGO_OTP, otpkit.DEVISE], ids=lambda p: p.name
)
def test_a_refused_backup_code_is_logged_and_counted(policy, clock):
    policy = fast(policy)
    server, _, codes = enrolled(policy, clock)
    wrong = next(c for c in (c[::-1] for c in codes) if c not in codes)
    assert policy.backup.looks_like_code(wrong)
    with pytest.raises(otpkit.InvalidToken, match="backup code"):
        server.sign_in("alice", PASSWORD, token=wrong)
    last = server.events[-1]
    assert (last.kind, last.username, last.message) == (
        "token.wrong",
        "alice",
        "backup code refused (wrong)",
    )
    assert server.store.get("alice").failures == (0 if policy.backoff is None else 1)
    assert len(server.store.get("alice").backup_codes) == len(codes)


@pytest.mark.parametrize("helper", ["warning", "stored"])
@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.HARDENED], ids=lambda p: p.name)
def test_the_lessons_helpers_answer_an_unknown_user_as_sign_in_does(helper, policy, clock):
    server = otpkit.Server(policy=fast(policy), clock=clock)
    with pytest.raises(otpkit.NoSuchUser) as at_sign_in:
        server.sign_in("nobody", PASSWORD)
    with pytest.raises(otpkit.NoSuchUser) as at_helper:
        getattr(server, helper)("nobody")
    assert at_helper.value.answer == at_sign_in.value.answer
    with pytest.raises(otpkit.NoSuchUser) as at_download:
        server.backup_download("nobody", [])
    assert at_download.value.answer == at_sign_in.value.answer
