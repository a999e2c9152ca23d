"""Hostile codes at every verb that checks one: tokens, the right code in a hostile form, and
which white space counts (JavaScript's, as in Misskey, not Python's)."""

from __future__ import annotations

import pytest

from otpkit.errors import InvalidInput, InvalidToken

from . import hostile_corpus as corpus
from .conftest import PASSWORD
from .hostile_helpers import POLICIES, World


@POLICIES
def test_hostile_tokens(policy):
    w = World(policy)
    s = w.server
    for name, token in w.each("tokens"):
        w.refuses(
            f"sign_in token {name}", lambda t=token: s.sign_in("alice", PASSWORD, t, ip=w.ip())
        )
        w.refuses(f"register token {name}", lambda t=token: s.register("alice", PASSWORD, t))
        w.refuses(f"unregister token {name}", lambda t=token: s.unregister("alice", PASSWORD, t))
        w.refuses(f"confirm pending token {name}", lambda t=token: s.confirm("bob", t))
        w.refuses(f"confirm enabled token {name}", lambda t=token: s.confirm("alice", t))
        w.refuses(f"flow enter_code {name}", lambda t=token: w.flow.enter_code(t))
        if not isinstance(token, str):
            # Without 2FA the token is not needed, but one that is not text is still refused.
            w.refuses(
                f"register no 2FA token {name}",
                lambda t=token: s.register("carol", PASSWORD, t),
                InvalidInput,
            )
            w.refuses(
                f"unregister no 2FA token {name}",
                lambda t=token: s.unregister("carol", PASSWORD, t),
                InvalidInput,
            )
            w.refuses(
                f"confirm text needed {name}", lambda t=token: s.confirm("bob", t), InvalidInput
            )
    for name, token in w.each("empty tokens"):
        assert s.sign_in("alice", PASSWORD, token, ip=w.ip()).next == "totp"
        w.calls += 1
        w.refuses(f"register token {name}", lambda t=token: s.register("alice", PASSWORD, t))
        w.refuses(f"unregister token {name}", lambda t=token: s.unregister("alice", PASSWORD, t))
        w.refuses(f"confirm token {name}", lambda t=token: s.confirm("bob", t))
    w.check()
    assert w.calls >= 6 * len(corpus.TOKENS)
    assert s.register("carol", PASSWORD, None).secret  # None is no token: allowed without 2FA


@POLICIES
def test_hostile_forms_of_the_right_code(policy):
    """The right code in a hostile form (Python-only white space, other digits, not text...) is
    refused everywhere a code is checked; the plain right code, sent last, is accepted."""
    w = World(policy)
    s = w.server
    dave = w.flow.registration.secret
    for name, form in w.each("code forms"):
        w.clock.advance(policy.params.period)  # a fresh step: no form meets a used one
        w.refuses(
            f"sign_in {name}",
            lambda f=form: s.sign_in("alice", PASSWORD, f(w.code()), ip=w.ip()),
        )
        w.refuses(f"register {name}", lambda f=form: s.register("alice", PASSWORD, f(w.code())))
        w.refuses(f"unregister {name}", lambda f=form: s.unregister("alice", PASSWORD, f(w.code())))
        w.refuses(f"confirm {name}", lambda f=form: s.confirm("bob", f(w.code(w.bob_secret))))
        w.refuses(f"flow enter_code {name}", lambda f=form: w.flow.enter_code(f(w.code(dave))))
    w.check()
    w.unblock()
    w.clock.advance(policy.params.period)
    assert s.sign_in("alice", PASSWORD, w.code(), ip=w.ip()).ok
    assert s.confirm("bob", w.code(w.bob_secret))
    assert w.flow.enter_code(w.code(dave))


@POLICIES
def test_javascript_white_space_is_white_space_and_python_only_is_not(policy):
    """Misskey trims or removes white space by JavaScript's definition: U+FEFF is white space
    there (so a policy that strips white space accepts a code wrapped in it), U+001C and U+0085
    are not (so every policy refuses them)."""
    w = World(policy)
    s = w.server
    for js, py in (("\ufeff", "\x1c"), ("\ufeff", "\x85"), ("\u3000", "\x1f")):
        w.clock.advance(policy.params.period)
        with pytest.raises(InvalidToken):
            s.sign_in("alice", PASSWORD, py + w.code() + py, ip=w.ip())
        w.unblock()
        wrapped = js + w.code() + js
        if policy.sign_in_whitespace == "keep":
            with pytest.raises(InvalidToken):
                s.sign_in("alice", PASSWORD, wrapped, ip=w.ip())
        else:
            assert s.sign_in("alice", PASSWORD, wrapped, ip=w.ip()).ok
        w.unblock()
    with pytest.raises(InvalidToken):
        s.confirm("bob", "\x1c" + w.code(w.bob_secret))
    w.unblock()
    assert policy.confirm_whitespace == "remove"  # every preset: as Misskey's i/2fa/done
    assert s.confirm(
        "bob", "\ufeff" + w.code(w.bob_secret)[:3] + "\ufeff" + w.code(w.bob_secret)[3:]
    )
