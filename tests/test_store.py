"""Both stores keep the same promises: attach, set_if_absent, and accounts that round-trip."""

from __future__ import annotations

import json
import threading
from dataclasses import fields, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otpkit.errors import InvalidInput, OtpkitError, StoreError
from otpkit.store import Account, MemoryStore, SqliteStore

T0 = 1_700_000_000.0


@pytest.fixture(params=["memory", "sqlite", "sqlite-memory"])
def store(request, tmp_path):
    if request.param == "memory":
        yield MemoryStore()
        return
    made = SqliteStore(tmp_path / "s.db" if request.param == "sqlite" else ":memory:")
    yield made
    made.close()


# -- attach ----------------------------------------------------------------------------------


def test_the_first_attach_records_the_policy_and_the_same_one_is_welcome(store):
    store.attach("misskey")
    store.attach("misskey")


def test_attach_with_another_policy_says_what_to_do(store):
    store.attach("misskey")
    with pytest.raises(StoreError) as caught:
        store.attach("hardened")
    message = str(caught.value)
    assert "made for policy 'misskey'" in message
    assert "the same policy" in message
    store.attach("misskey")  # the refusal changed nothing


@pytest.mark.parametrize("name", ["", None, 3, b"misskey", "bad\udc80"])
def test_attach_refuses_a_name_that_is_not_text(store, name):
    with pytest.raises(InvalidInput):
        store.attach(name)
    store.attach("misskey")  # nothing was recorded


def test_the_policy_is_kept_in_the_file(tmp_path):
    path = tmp_path / "p.db"
    first = SqliteStore(path)
    first.attach("misskey")
    first.close()
    again = SqliteStore(path)
    with pytest.raises(StoreError, match="made for policy 'misskey'"):
        again.attach("rfc6238")
    again.attach("misskey")
    again.close()


def test_two_threads_racing_to_attach_agree_on_one_policy(tmp_path):
    path = tmp_path / "race.db"
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def attach(name: str) -> None:
        store = SqliteStore(path)
        barrier.wait()
        try:
            store.attach(name)
            outcomes.append(name)
        except StoreError:
            outcomes.append("refused")
        store.close()

    threads = [
        threading.Thread(target=attach, args=("misskey" if i % 2 else "hardened",))
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = set(outcomes) - {"refused"}
    assert len(winners) == 1 and outcomes.count("refused") == 4


# -- set_if_absent ---------------------------------------------------------------------------


def test_set_if_absent_is_true_once_while_the_mark_lives(store):
    assert store.set_if_absent("alice:56666666", T0, 90) is True
    assert store.set_if_absent("alice:56666666", T0, 90) is False
    assert store.set_if_absent("alice:56666666", T0 + 89.999, 90) is False
    assert store.set_if_absent("alice:56666667", T0, 90) is True  # another key


def test_a_mark_lives_ttl_seconds_and_has_expired_at_now_plus_ttl(store):
    """Redis EX: the key exists for ttl seconds; at exactly now + ttl it is gone."""
    assert store.set_if_absent("k", T0, 30)
    assert not store.set_if_absent("k", T0 + 29.5, 30)  # refused: nothing is re-set
    assert store.set_if_absent("k", T0 + 30, 30)  # expired: set again, till T0 + 60
    assert not store.set_if_absent("k", T0 + 59, 1)
    assert store.set_if_absent("k", T0 + 60, 1)


def test_a_refused_set_does_not_extend_the_mark(store):
    assert store.set_if_absent("k", T0, 10)
    assert not store.set_if_absent("k", T0 + 5, 1000)
    assert store.set_if_absent("k", T0 + 10, 10)


def test_expired_marks_are_pruned(store):
    for i in range(200):
        assert store.set_if_absent(f"old-{i}", T0, 5)
    assert store.set_if_absent("new", T0 + 100, 5)
    assert _marks_kept(store) == 1


def _marks_kept(store) -> int:
    if isinstance(store, MemoryStore):
        assert len(store._expiries) == len(store._marks)
        return len(store._marks)
    with store._use() as db:
        return db.execute("SELECT COUNT(*) FROM marks").fetchone()[0]


@pytest.mark.parametrize(
    "key, now, ttl",
    [
        ("", T0, 30),
        (None, T0, 30),
        (7, T0, 30),
        ("bad\udc80", T0, 30),
        ("k", "now", 30),
        ("k", True, 30),
        ("k", float("nan"), 30),
        ("k", T0, 0),
        ("k", T0, -1),
        ("k", T0, float("inf")),
        ("k", T0, True),
        ("k", 1e308, 1e308),
        ("k", 10**400, 30),
    ],
)
def test_set_if_absent_refuses_nonsense_and_sets_nothing(store, key, now, ttl):
    with pytest.raises(InvalidInput):
        store.set_if_absent(key, now, ttl)
    assert _marks_kept(store) == 0


def test_sixteen_threads_one_mark_one_winner(store):
    barrier = threading.Barrier(16)
    won: list[bool] = []

    def race() -> None:
        barrier.wait()
        won.append(store.set_if_absent("alice:step", T0, 90))

    threads = [threading.Thread(target=race) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False] * 15 + [True]


def test_set_if_absent_is_one_transaction_with_the_usual_fault_points(tmp_path):
    store = SqliteStore(tmp_path / "f.db")
    seen: list[str] = []
    store.fault_hook = seen.append
    assert store.set_if_absent("k", T0, 30)
    assert seen == ["begin", "read", "before-commit", "committed"]

    def fail(point: str) -> None:
        if point == "before-commit":
            raise RuntimeError("disk full")

    store.fault_hook = fail
    with pytest.raises(RuntimeError):
        store.set_if_absent("other", T0, 30)
    store.fault_hook = None
    assert store.set_if_absent("other", T0, 30)  # the failed one was rolled back
    store.close()


# -- accounts --------------------------------------------------------------------------------

FULL = Account(
    username="Alice",
    password_hash="$2b$04$hash",
    two_factor=True,
    secret="JBSWY3DPEHPK3PXP",
    pending_secret=None,
    backup_codes=("a1", "b2"),
    backup_codes_issued=5,
    last_step=56_666_666,
    drift=-1,
    failures=2,
    blocked_until=T0 + 30,
    password_less=True,
)


def test_every_field_round_trips_through_json():
    assert Account.from_json(FULL.to_json()) == FULL
    assert Account.from_json(Account("bob", "h").to_json()) == Account("bob", "h")


def test_every_field_round_trips_through_both_stores(store):
    store.create(FULL)
    assert store.get("alice") == FULL
    store.update_account("alice", lambda a: (replace(a, password_less=False), None))
    assert store.get("alice") == replace(FULL, password_less=False)
    assert store.usernames() == ["Alice"]


def test_a_record_from_the_previous_kit_reads_with_the_defaults():
    old = {k: v for k, v in json.loads(FULL.to_json()).items() if k != "password_less"}
    assert Account.from_json(json.dumps(old)) == replace(FULL, password_less=False)


@pytest.mark.parametrize(
    "change, said",
    [
        ({"failures": True}, "failures = bool"),
        ({"failures": 1.5}, "failures = float"),
        ({"last_step": "7"}, "last_step = str"),
        ({"two_factor": 1}, "two_factor = int"),
        ({"password_less": None}, "password_less = NoneType"),
        ({"blocked_until": "soon"}, "blocked_until = str"),
        ({"backup_codes": "abc"}, "backup_codes = str"),
        ({"backup_codes": ["a", 1]}, "backup_codes = list"),
        ({"secret": 12}, "secret = int"),
        ({"username": "\udc80"}, "username = str"),
        ({"is_admin": True}, "'is_admin'"),
    ],
)
def test_a_field_of_the_wrong_type_is_named(change, said):
    data = {**json.loads(FULL.to_json()), **change}
    with pytest.raises(StoreError, match=said.replace("(", r"\(")):
        Account.from_json(json.dumps(data))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        "null",
        '"alice"',
        "{}",
        '{"username": "a"}',
        '{"username": "a", "password_hash": "h", "blocked_until": NaN}',
        '{"username": "a", "password_hash": "h", "blocked_until": Infinity}',
        '{"username": "a", "password_hash": "h", "blocked_until": 1e400}',
        '{"username": "a", "password_hash": "h", "drift": ' + "9" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_text_that_is_not_an_account_raises_store_error(text):
    with pytest.raises(StoreError):
        Account.from_json(text)


@pytest.mark.parametrize("value", [None, 42, b'{"username": "a", "password_hash": "h"}', []])
def test_a_record_that_is_not_text_raises_store_error(value):
    with pytest.raises(StoreError, match="JSON text"):
        Account.from_json(value)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
NAMES = [f.name for f in fields(Account)]
NEAR_ACCOUNTS = st.dictionaries(st.sampled_from([*NAMES, "extra"]), JSON, max_size=len(NAMES))
TEXT = st.text(max_size=8)
VALID = st.fixed_dictionaries(
    {"username": TEXT, "password_hash": TEXT},
    optional={
        "two_factor": st.booleans(),
        "secret": st.none() | TEXT,
        "pending_secret": st.none() | TEXT,
        "backup_codes": st.lists(TEXT, max_size=3),
        "backup_codes_issued": st.integers(),
        "last_step": st.none() | st.integers(),
        "drift": st.integers(),
        "failures": st.integers(),
        "blocked_until": st.floats(allow_nan=False, allow_infinity=False) | st.integers(),
        "password_less": st.booleans(),
    },
)
ONE_FIELD_OFF = st.tuples(VALID, st.sampled_from([*NAMES, "extra"]), JSON).map(
    lambda t: {**t[0], t[1]: t[2]}
)


@settings(deadline=None, max_examples=400)
@given(st.one_of(JSON, NEAR_ACCOUNTS, VALID, ONE_FIELD_OFF))
def test_from_json_of_any_json_value_returns_an_account_or_raises_store_error(value):
    try:
        text = json.dumps(value)
    except ValueError:
        return
    try:
        account = Account.from_json(text)
    except StoreError:
        return
    assert Account.from_json(account.to_json()) == account  # what it returns, it can write


@settings(deadline=None, max_examples=200)
@given(st.text())
def test_from_json_of_any_text_returns_an_account_or_raises_store_error(text):
    try:
        Account.from_json(text)
    except StoreError:
        pass


# -- writes the store could not read back are refused ----------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "alice",
        replace(FULL, failures=True),
        replace(FULL, blocked_until=float("nan")),
        replace(FULL, backup_codes=("ok", 3)),  # type: ignore[arg-type]
        replace(FULL, username="al\udc80ce"),
    ],
)
def test_create_refuses_an_account_it_could_not_read_back(store, bad):
    with pytest.raises(InvalidInput):
        store.create(bad)
    assert store.usernames() == []


@pytest.mark.parametrize(
    "new",
    [None, replace(FULL, username="Bob"), replace(FULL, drift="1")],
    ids=["none", "renamed", "bad-field"],
)
def test_an_update_that_returns_a_bad_account_changes_nothing(store, new):
    store.create(FULL)
    with pytest.raises(OtpkitError):
        store.update_account("alice", lambda a: (new, None))
    assert store.get("alice") == FULL
    assert store.get("bob") is None


@pytest.mark.parametrize("new", [None, "1.0", (1.0, "2"), (True,), (float("inf"),)])
def test_an_update_that_returns_bad_hits_changes_nothing(store, new):
    store.update_hits("203.0.113.1", lambda h: ((T0,), None))
    with pytest.raises(InvalidInput):
        store.update_hits("203.0.113.1", lambda h: (new, None))
    assert store.update_hits("203.0.113.1", lambda h: (h, h)) == (T0,)


@pytest.mark.parametrize("key", [None, 3, "", ["alice"], "a\udc80"])
def test_keys_that_are_not_text_raise_invalid_input(store, key):
    with pytest.raises(InvalidInput):
        store.get(key)
    with pytest.raises(InvalidInput):
        store.update_account(key, lambda a: (a, None))
    with pytest.raises(InvalidInput):
        store.update_hits(key, lambda h: (h, None))


@pytest.mark.parametrize("outcome", [None, FULL, (FULL,), (FULL, None, None)])
def test_a_change_that_returns_no_pair_changes_nothing(store, outcome):
    store.create(FULL)
    with pytest.raises(InvalidInput, match="returns \\(new value, result\\)"):
        store.update_account("alice", lambda a: outcome)
    with pytest.raises(InvalidInput, match="returns \\(new value, result\\)"):
        store.update_hits("203.0.113.1", lambda h: outcome)
    assert store.get("alice") == FULL
    assert store.update_hits("203.0.113.1", lambda h: (h, h)) == ()
