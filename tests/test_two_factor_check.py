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


SECRET = "JBSWY3DPEHPK3PXP"


def _with_alice(two_factor: bool) -> MemoryStore:
    store = MemoryStore()
    store.create(Account(username="alice", password_hash="x", two_factor=two_factor, secret=SECRET))
    return store


def _secret(a: Account) -> str | None:
    return a.secret if a.two_factor else None


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.HARDENED], ids=lambda p: p.name)
def test_a_code_for_a_missing_account_or_one_without_2fa_finds_it_off(policy):
    code = otpkit.code_at(SECRET, AT)
    check = TwoFactorCheck(policy, _with_alice(False), race_hook=lambda: None)
    assert check.check_code("alice", _secret, code, AT, 1, None) == Outcome("off")
    check = TwoFactorCheck(policy, _with_alice(True), race_hook=lambda: None)
    if policy.used_step_guard is not None:  # it reads the account before the transaction
        assert check.check_code("nobody", _secret, code, AT, 1, None) == Outcome("off")
    else:  # the transaction itself finds no account
        with pytest.raises(otpkit.NoSuchUser):
            check.check_code("nobody", _secret, code, AT, 1, None)


class RecordingStore(MemoryStore):
    """A store that remembers which used-step marks were asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def set_if_absent(self, key: str, now: float, ttl: float) -> bool:
        self.asked.append(key)
        return super().set_if_absent(key, now, ttl)


def test_the_guard_marks_the_users_step_and_a_replay_carries_its_match():
    from otpkit.server.used_steps import used_step_key

    store = RecordingStore()
    store.create(Account(username="alice", password_hash="x", two_factor=True, secret=SECRET))
    check = TwoFactorCheck(otpkit.MISSKEY, store, race_hook=lambda: None)
    earlier = otpkit.code_at(SECRET, AT - 30)
    step = otpkit.step_at(AT - 30)
    assert check.check_code("alice", _secret, earlier, AT, 1, None) == Outcome("ok", -1, step)
    assert check.check_code("alice", _secret, earlier, AT, 1, None) == Outcome("replayed", -1, step)
    assert store.asked == [used_step_key("alice", SECRET, step)] * 2
    wrong = otpkit.code_at(SECRET, AT + 3600)
    assert check.check_code("alice", _secret, wrong, AT, 1, None) == Outcome("wrong")
    assert len(store.asked) == 2  # a code that matches no step marks nothing


def test_the_guard_honours_and_resets_a_back_off_a_policy_adds(clock):
    from dataclasses import replace

    policy = replace(otpkit.MISSKEY, backoff=otpkit.policy.Backoff(base=10.0, cap=60.0))
    store = _with_alice(True)
    check = TwoFactorCheck(policy, store, race_hook=lambda: None)
    right = otpkit.code_at(SECRET, AT)
    wrong = otpkit.code_at(SECRET, AT + 3600)
    assert check.check_code("alice", _secret, wrong, AT, 1, None) == Outcome("wrong")
    assert (store.get("alice").failures, store.get("alice").blocked_until) == (1, AT + 10.0)
    assert check.check_code("alice", _secret, right, AT + 5, 1, None) == Outcome(
        "blocked", wait=5.0
    )
    later = otpkit.code_at(SECRET, AT + 30)
    outcome = check.check_code("alice", _secret, later, AT + 30, 1, None)
    assert outcome.kind == "ok"
    assert (store.get("alice").failures, store.get("alice").blocked_until) == (0, 0.0)


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.MISSKEY_2025], ids=lambda p: p.name)
def test_a_right_backup_code_clears_a_back_off_on_misskeys_path_too(policy, clock):
    from dataclasses import replace

    policy = fast(replace(policy, backoff=otpkit.policy.Backoff(base=1.0, cap=60.0)))
    server, secret, codes = enrolled(policy, clock)
    clock.advance(90)
    with pytest.raises(otpkit.InvalidToken):
        server.sign_in("alice", PASSWORD, token=otpkit.code_at(secret, clock.now() + 3600))
    assert server.store.get("alice").failures == 1
    clock.advance(5)
    assert server.sign_in("alice", PASSWORD, token=codes[0]).used_backup_code
    assert (server.store.get("alice").failures, server.store.get("alice").blocked_until) == (
        0,
        0.0,
    )


def test_a_backup_code_after_2fa_was_turned_off_finds_it_off():
    store = MemoryStore()
    store.create(Account(username="carol", password_hash="x", backup_codes=("A" * 32,)))
    check = TwoFactorCheck(otpkit.HARDENED, store, race_hook=lambda: None)
    assert check.use_backup_code("carol", "B" * 32, AT, None) == Outcome("off")
    assert store.get("carol").failures == 0


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.MISSKEY_2025], ids=lambda p: p.name)
def test_a_2fa_account_without_a_token_gets_the_wrong_tokens_answer(policy, clock):
    server, secret, _ = enrolled(fast(policy), clock)
    clock.advance(3600)
    wrong = otpkit.code_at(secret, clock.now() + 7200, policy.params)
    for verb in (server.register, server.unregister):
        with pytest.raises(otpkit.InvalidToken) as without:
            verb("alice", PASSWORD)
        with pytest.raises(otpkit.InvalidToken) as with_wrong:
            verb("alice", PASSWORD, token=wrong)
        assert without.value.answer == with_wrong.value.answer


@pytest.mark.parametrize("policy", [otpkit.MISSKEY, otpkit.HARDENED], ids=lambda p: p.name)
def test_a_spent_or_refused_backup_code_is_one_line_of_the_log(policy, clock):
    policy = fast(policy)
    server, _, codes = enrolled(policy, clock)
    clock.advance(120)
    before = len(server.events)
    server.sign_in("alice", PASSWORD, token=codes[0])
    used = [e for e in server.events[before:] if e.kind == "backup_code.used"]
    assert used == [
        otpkit.Event(AT + 120, "backup_code.used", "alice", "a backup code was used up")
    ]
    if policy.atomic_backup_use:  # Misskey's path has no refusal of its own: it tries a code
        clock.advance(5)
        with pytest.raises(otpkit.InvalidToken):
            server.sign_in("alice", PASSWORD, token=codes[0])
        assert server.events[-1] == otpkit.Event(
            AT + 125, "token.wrong", "alice", "backup code refused (wrong)"
        )


def test_a_replay_in_one_transaction_carries_its_match_and_the_last_step():
    store = _with_alice(True)
    check = TwoFactorCheck(otpkit.RFC6238, store, race_hook=lambda: None)
    code = otpkit.code_at(SECRET, AT - 30)
    step = otpkit.step_at(AT - 30)
    assert check.check_code("alice", _secret, code, AT, 1, None) == Outcome("ok", -1, step)
    assert store.get("alice").last_step == step
    assert check.check_code("alice", _secret, code, AT, 1, None) == Outcome(
        "replayed", -1, step, last_step=step
    )


@pytest.mark.parametrize(
    "policy", [otpkit.MISSKEY_2025, otpkit.RFC6238, otpkit.HARDENED], ids=lambda p: p.name
)
def test_an_account_keeps_a_last_step_and_drift_only_where_its_policy_does(policy):
    store = _with_alice(True)
    check = TwoFactorCheck(policy, store, race_hook=lambda: None)
    code = otpkit.code_at(SECRET, AT - 30)
    assert check.check_code("alice", _secret, code, AT, 1, None).ok
    kept = store.get("alice")
    assert kept.last_step == (otpkit.step_at(AT - 30) if policy.refuse_replay else None)
    assert kept.drift == (-1 if policy.track_drift else 0)


OTHER = "KRSXG5CTMVRXEZLU"  # a second secret, as a new phone's pending one


def _drifted(drift: int) -> MemoryStore:
    store = MemoryStore()
    store.create(
        Account(username="alice", password_hash="x", two_factor=True, secret=SECRET, drift=drift)
    )
    return store


def test_the_window_is_centred_on_the_drift_the_account_keeps():
    check = TwoFactorCheck(otpkit.HARDENED, _drifted(-1), race_hook=lambda: None)
    two_behind = otpkit.code_at(SECRET, AT - 60)
    assert check.check_code("alice", _secret, two_behind, AT, 1, None) == Outcome(
        "ok", -2, otpkit.step_at(AT - 60)
    )


def test_a_new_secrets_window_is_not_moved_by_the_old_secrets_drift():
    check = TwoFactorCheck(otpkit.HARDENED, _drifted(-1), race_hook=lambda: None)
    one_ahead = otpkit.code_at(OTHER, AT + 30)
    outcome = check.check_code("alice", lambda a: OTHER, one_ahead, AT, 1, None)
    assert outcome == Outcome("ok", 1, otpkit.step_at(AT + 30))


def test_a_replay_counts_as_a_failure_where_a_back_off_is_kept():
    store = _with_alice(True)
    check = TwoFactorCheck(otpkit.HARDENED, store, race_hook=lambda: None)
    code = otpkit.code_at(SECRET, AT)
    assert check.check_code("alice", _secret, code, AT, 1, None).ok
    assert check.check_code("alice", _secret, code, AT + 1, 1, None).kind == "replayed"
    assert store.get("alice").failures == 1


def test_an_unknown_outcome_names_the_known_ones():
    with pytest.raises(ValueError) as caught:
        Outcome("refused")
    assert str(caught.value) == (
        "an outcome is one of ok, wrong, replayed, blocked, off, not 'refused'"
    )
