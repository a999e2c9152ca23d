"""The hostile-input corpus and its harness: the corpus is large and has no label twice, the
harness catches each way an input can get through, and every policy meets the whole corpus."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from otpkit.errors import InvalidInput

from . import hostile_corpus as corpus
from . import test_hostile_inputs_accounts as accounts
from . import test_hostile_inputs_client as client
from . import test_hostile_inputs_codes as codes
from . import test_hostile_inputs_server_setup as server_setup
from .conftest import PASSWORD
from .hostile_helpers import ALL, POLICIES, World, census


def test_the_corpus_is_large_enough():
    assert corpus.count() >= 400
    for name, entries in corpus.categories().items():
        labels = [entry[0] for entry in entries]
        assert len(set(labels)) == len(labels), f"{name}: a label is used twice"
    assert corpus.count() == sum(len(entries) for entries in corpus.categories().values())


@POLICIES
def test_the_harness_can_fail(policy):
    """Each way an input can get through is caught: accepted, a foreign error, a half-change,
    or the wrong kind of OtpkitError."""
    w = World(policy)

    def half_change():
        w.server.register("carol", PASSWORD)
        raise InvalidInput("refused after a change")

    w.refuses("accepted", lambda: None)
    w.refuses("foreign", lambda: int("x"))
    w.refuses("half", half_change)
    w.refuses("kind", lambda: w.server.sign_in("alice", "wrong", ip=w.ip()), InvalidInput)
    assert [f.split(":")[0] for f in w.failures] == ["accepted", "foreign", "half", "kind"]
    assert "changed the stored state" in w.failures[2]
    assert "IncorrectPassword, not InvalidInput" in w.failures[3]


# Every test_hostile_inputs_*.py file but this one: a test_hostile_ function in any of them
# must be in HOSTILE_TESTS.
HOSTILE_MODULES = [
    import_module(f"{__package__}.{path.stem}")
    for path in sorted(Path(__file__).parent.glob("test_hostile_inputs_*.py"))
    if path.stem != __name__.rpartition(".")[2]
]
HOSTILE_TESTS = [
    codes.test_hostile_tokens,
    codes.test_hostile_forms_of_the_right_code,
    accounts.test_hostile_usernames,
    accounts.test_hostile_passwords,
    accounts.test_hostile_ips,
    server_setup.test_hostile_hosts,
    server_setup.test_hostile_policy_fields,
    server_setup.test_hostile_clock_readings,
    client.test_hostile_uris,
    client.test_hostile_images,
    client.test_hostile_code_arguments,
]


def test_every_policy_meets_the_whole_corpus(capsys):
    """Run every corpus test dry (nothing is called) under each policy and count what it feeds:
    the whole corpus, the same count for all six."""
    names = {
        name
        for module in HOSTILE_MODULES
        for name, f in vars(module).items()
        if name.startswith("test_hostile_") and callable(f)
    }
    assert names - {"test_hostile_phone_and_flow_calls"} == {f.__name__ for f in HOSTILE_TESTS}
    counts = {}
    for policy in ALL:
        with census() as fed:
            for test in HOSTILE_TESTS:
                test(policy)
            counts[policy.name] = len(fed)
            assert fed == corpus.inputs(), f"{policy.name} misses {corpus.inputs() - fed}"
    with capsys.disabled():
        print("\nhostile inputs per policy:", ", ".join(f"{n} {c}" for n, c in counts.items()))
    assert len(counts) == 6 and set(counts.values()) == {corpus.count()}
    assert corpus.count() >= 400
