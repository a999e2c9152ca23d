"""The nine documented stages, in order."""

from __future__ import annotations

import pytest

import otpkit
from otpkit import Stage
from otpkit.errors import IncorrectPassword, InvalidToken, StageOrderError

from .conftest import AT, PASSWORD, fast


def make_flow(offset=0.0, app=otpkit.apps.GOOGLE_AUTHENTICATOR, policy=otpkit.MISSKEY):
    clock = otpkit.ManualClock(AT)
    server = otpkit.Server(policy=fast(policy), clock=clock, rng=otpkit.DemoRandom(7))
    server.sign_up("alice", PASSWORD)
    phone = otpkit.Phone(clock=otpkit.DriftingClock(clock, offset=offset), app=app)
    return clock, server, otpkit.EnrollmentFlow(server, phone, "alice", PASSWORD)


def test_stages_are_nine_then_done_with_titles():
    assert [s.value for s in Stage] == list(range(1, 11))
    assert Stage.REGISTER_APP.title == 'Choose "Register authenticator app"'
    assert all(s.title and s.explanation for s in Stage)


@pytest.mark.parametrize("method", ["qr", "link"])
def test_run_to_done(method):
    _, server, flow = make_flow()
    for _ in range(5):
        flow.advance()
    flow.set_up_app(method)
    flow.run()
    assert flow.stage == Stage.DONE
    assert [r.stage for r in flow.history] == list(Stage)[:9]
    name, text = flow.history[-1].result
    assert name == "alice-2fa-backup-codes.txt"
    assert text.split() == flow.backup_codes
    assert server.stored("alice")["two_factor_enabled"]


def test_out_of_order_is_refused_and_changes_nothing():
    _, server, flow = make_flow()
    with pytest.raises(StageOrderError, match="next stage is 1"):
        flow.enter_code("123456")
    assert flow.stage == Stage.INSTALL_APP and flow.history == []
    flow.run()
    with pytest.raises(StageOrderError, match="already done"):
        flow.advance()


def test_wrong_password_keeps_the_stage():
    _, server, flow = make_flow()
    for _ in range(4):
        flow.advance()
    with pytest.raises(IncorrectPassword):
        flow.enter_password("guess")
    assert flow.stage == Stage.ENTER_PASSWORD
    flow.enter_password()
    assert flow.stage == Stage.SET_UP_APP


def test_an_expired_code_is_refused_then_a_fresh_one_works():
    clock, server, flow = make_flow()
    for _ in range(7):
        flow.advance()
    clock.advance(6 * 30)  # the learner waited three minutes
    with pytest.raises(InvalidToken):
        flow.enter_code()
    assert flow.stage == Stage.ENTER_CODE
    flow.enter_code(flow.phone.code(flow.entry))
    assert flow.stage == Stage.DOWNLOAD_BACKUP_CODES


def test_a_phone_two_minutes_fast_enrolled_under_misskey_2025_only():
    _, _, flow = make_flow(offset=120, policy=otpkit.MISSKEY_2025)
    flow.run()
    assert flow.confirmation.offset == 4
    _, _, today = make_flow(offset=120)
    while today.stage != otpkit.Stage.ENTER_CODE:
        today.advance()
    with pytest.raises(otpkit.InvalidToken):
        today.advance()
    assert today.offset_of(today.code) == 4 and today.stage == otpkit.Stage.ENTER_CODE


def test_a_second_phone_enrolls_with_a_code_from_the_first():
    clock, server, first = make_flow()
    first.run()
    clock.advance(60)
    old_code = otpkit.code_at(first.registration.secret, clock.now())
    second = otpkit.EnrollmentFlow(server, otpkit.Phone(clock=clock), "alice", PASSWORD)
    for _ in range(4):
        second.advance()
    with pytest.raises(InvalidToken):
        second.enter_password()  # 2FA is on: Misskey wants a code too
    assert second.stage == Stage.ENTER_PASSWORD
    second.enter_password(token=old_code)
    second.run()
    assert server.stored("alice")["secret"] == second.registration.secret
