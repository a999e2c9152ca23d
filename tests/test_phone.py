"""Phones: they read the QR image themselves and apply their app's real quirks."""

from __future__ import annotations

from dataclasses import replace

import pytest

import otpkit
from otpkit import apps
from otpkit.errors import InvalidToken, QrDecodeError, UnsupportedByApp

from .conftest import AT, PASSWORD, fast


def enroll(app, params=None, clock=None, nbytes=20):
    clock = clock or otpkit.ManualClock(AT)
    params = params or otpkit.OtpParams()
    policy = replace(fast(otpkit.MISSKEY), params=params, secret_nbytes=nbytes)
    server = otpkit.Server(policy=policy, clock=clock, rng=otpkit.DemoRandom(3))
    server.sign_up("alice", PASSWORD)
    phone = otpkit.Phone(clock=clock, app=app)
    reg = server.register("alice", PASSWORD)
    entry = phone.scan(reg.qr_png)
    return server, phone, entry


def test_scan_reads_the_image_and_shows_the_right_code():
    server, phone, entry = enroll(apps.GOOGLE_AUTHENTICATOR)
    secret = server.stored("alice")["pending_secret"]
    assert entry.secret == secret and entry.label == "misskey.example:alice"
    assert phone.code(entry) == otpkit.code_at(secret, AT) and phone.seconds_left(entry) == 10
    assert server.confirm("alice", phone.code(entry))


def test_phone_uses_its_own_clock():
    base = otpkit.ManualClock(AT)
    phone = otpkit.Phone(clock=otpkit.DriftingClock(base, offset=95), app=apps.AEGIS)
    entry = phone.open_link("otpauth://totp/x:a?secret=JBSWY3DPEHPK3PXPJBSWY3DP")
    assert phone.code(entry) == otpkit.code_at(entry.secret, AT + 95)


@pytest.mark.parametrize(
    ("app", "params", "works"),
    [
        (apps.GOOGLE_AUTHENTICATOR_LEGACY, otpkit.OtpParams("SHA256"), False),
        (apps.GOOGLE_AUTHENTICATOR_LEGACY, otpkit.OtpParams(digits=8), False),
        (apps.GOOGLE_AUTHENTICATOR_LEGACY, otpkit.OtpParams(period=60), False),
        (apps.GOOGLE_AUTHENTICATOR, otpkit.OtpParams("SHA256"), True),
        (apps.GOOGLE_AUTHENTICATOR, otpkit.OtpParams(digits=8), True),
        (apps.GOOGLE_AUTHENTICATOR, otpkit.OtpParams(period=60), False),
        (apps.AUTHY, otpkit.OtpParams("SHA512"), False),
        (apps.AUTHY, otpkit.OtpParams(digits=8), False),
        (apps.FREEOTP, otpkit.OtpParams("SHA512", 8, 60), True),
        (apps.AEGIS, otpkit.OtpParams("SHA512", 10, 60), True),
    ],
)
def test_app_quirks_decide_whether_enrollment_works(app, params, works):
    clock = otpkit.ManualClock(AT + 25)  # late in a 60 s step's first half: a 30 s app drifts off
    server, phone, entry = enroll(app, params, clock)
    if works:
        assert server.confirm("alice", phone.code(entry))
        assert entry.ignored == ()
    else:
        assert entry.ignored  # the app silently used its own defaults
        with pytest.raises(InvalidToken):
            server.confirm("alice", phone.code(entry))


def test_freeotp_refuses_a_short_secret():
    with pytest.raises(UnsupportedByApp):
        enroll(apps.FREEOTP, nbytes=10)
    assert enroll(apps.GOOGLE_AUTHENTICATOR, nbytes=10)[2].secret


def test_freeotp_refuses_ten_digits_instead_of_ignoring():
    with pytest.raises(UnsupportedByApp):
        enroll(apps.FREEOTP, otpkit.OtpParams(digits=10))


def test_bad_inputs_to_a_phone():
    phone = otpkit.Phone(clock=otpkit.FixedClock(AT))
    with pytest.raises(QrDecodeError):
        phone.scan(b"\x89PNG garbage")
    with pytest.raises(otpkit.MalformedUri):
        phone.open_link("https://example.com")
    with pytest.raises(otpkit.OtpkitError):
        phone.code()
    assert phone.entries == []
    with pytest.raises(otpkit.InvalidInput):
        otpkit.Phone(clock=None)


def test_scan_refuses_formats_outside_the_allow_list():
    import io

    from PIL import Image

    phone = otpkit.Phone(clock=otpkit.FixedClock(AT))
    buffer = io.BytesIO()
    Image.open(io.BytesIO(otpkit.qr_png("otpauth://totp/a?secret=JBSWY3DP"))).save(buffer, "TIFF")
    with pytest.raises(QrDecodeError, match="TIFF images are not scanned.*PNG"):
        phone.scan(buffer.getvalue())
    assert phone.entries == []


def test_app_named():
    assert apps.app_named("aegis") is apps.AEGIS
    with pytest.raises(otpkit.InvalidInput):
        apps.app_named("lastpass")
