"""Hostile inputs on the learner's side: otpauth:// URIs and QR images the phone is given,
arguments to code_at and OtpParams, and phone, flow and server calls out of place."""

from __future__ import annotations

import otpkit

from . import hostile_corpus as corpus
from .conftest import AT, PASSWORD
from .hostile_helpers import POLICIES, World


@POLICIES
def test_hostile_uris(policy):
    w = World(policy)
    for name, uri in w.each("uris"):
        w.refuses(f"parse_uri {name}", lambda u=uri: otpkit.parse_uri(u))
        w.refuses(f"open_link {name}", lambda u=uri: w.phone.open_link(u))
        w.refuses(f"scan QR of {name}", lambda u=uri: w.phone.scan(otpkit.qr_png(u)))
    w.check()


@POLICIES
def test_hostile_images(policy):
    w = World(policy)
    for name, image in w.each("images"):
        w.refuses(f"read_qr {name}", lambda i=image: otpkit.read_qr(i))
        w.refuses(f"scan {name}", lambda i=image: w.phone.scan(i))
    for name, image in w.each("images for apps"):
        w.refuses(f"scan {name}", lambda i=image: w.phone.scan(i))
    w.check()


@POLICIES
def test_hostile_code_arguments(policy):
    w = World(policy)
    for name, secret in w.each("secrets"):
        w.refuses(f"code_at secret {name}", lambda s=secret: otpkit.code_at(s, AT))
    for name, t in w.each("times"):
        w.refuses(f"code_at time {name}", lambda t=t: otpkit.code_at(corpus.SECRET, t))
    for name, params in w.each("params"):
        w.refuses(f"code_at params {name}", lambda p=params: otpkit.code_at(corpus.SECRET, AT, p))
    for name, fields in w.each("param fields"):
        w.refuses(f"OtpParams {name}", lambda f=fields: otpkit.OtpParams(**f))
    w.check()


@POLICIES
def test_hostile_phone_and_flow_calls(policy):
    w = World(policy)
    empty = otpkit.Phone(clock=w.clock)
    for name, call in [
        ("phone without a clock", lambda: otpkit.Phone(clock=None)),
        ("phone with a bad app", lambda: otpkit.Phone(clock=w.clock, app="authy")),
        ("code with no entries", lambda: empty.code()),
        ("code of a text entry", lambda: w.phone.code("entry")),
        ("seconds_left of an int", lambda: w.phone.seconds_left(3)),
        ("flow without a server", lambda: otpkit.EnrollmentFlow(None, w.phone, "dave", PASSWORD)),
        ("flow stage out of order", lambda: w.flow.install_app()),
        ("flow download too early", lambda: w.flow.download_backup_codes()),
        ("flow read_code again", lambda: w.flow.read_code()),
        ("server with a text policy", lambda: otpkit.Server(policy="misskey", clock=w.clock)),
        ("server without a clock", lambda: otpkit.Server(policy=policy, clock=None)),
        (
            "server with the class ManualClock, not a clock",
            lambda: otpkit.Server(policy=policy, clock=otpkit.ManualClock).sign_up("erin", "pw"),
        ),
        (
            "server with a bad store",
            lambda: otpkit.Server(policy=policy, clock=w.clock, store="x.db"),
        ),
        ("sign_in with a bad ip", lambda: w.server.sign_in("alice", PASSWORD, ip="\ud800")),
        ("sign_in with no ip", lambda: w.server.sign_in("alice", PASSWORD, ip=None)),
        ("backup_download of junk", lambda: w.server.backup_download("alice", None)),
        ("backup_download of ints", lambda: w.server.backup_download("alice", [1, 2])),
    ]:
        w.refuses(name, call)
    for method in ("qr-code", None, 42, ""):
        flow = otpkit.EnrollmentFlow(w.server, otpkit.Phone(clock=w.clock), "carol", PASSWORD)
        for _ in range(5):
            flow.advance()
        w.refuses(f"set_up_app {method!r}", lambda f=flow, m=method: f.set_up_app(m))
        assert flow.stage == otpkit.Stage.SET_UP_APP
    w.check()
