"""The lesson's world: one clock time, one seed, one account, so every notebook tells one story."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..core import demo
from ..core.clock import ManualClock
from ..core.otp import code_at
from ..core.randomness import DemoRandom
from ..server import Server
from ..server.policy import MISSKEY, Policy


@dataclass(frozen=True)
class Enrolled:
    """A server with the lesson's account enrolled: what its owner holds."""

    server: Server
    clock: ManualClock
    secret: str
    backup_codes: tuple[str, ...]


@dataclass(frozen=True)
class Lesson:
    """The parameters every notebook starts from (see ``otpkit.demo``)."""

    at: float = demo.AT
    seed: int = demo.SEED
    user: str = demo.USER
    password: str = demo.PASSWORD
    host: str = demo.HOST

    def server(self, policy: Policy = MISSKEY, clock: ManualClock | None = None) -> Server:
        """A new server on its own clock at ``at``, with the lesson's account signed up."""
        clock = ManualClock(self.at) if clock is None else clock
        server = Server(policy=policy, clock=clock, host=self.host, rng=DemoRandom(self.seed))
        server.sign_up(self.user, self.password)
        return server

    def enrolled(self, policy: Policy = MISSKEY) -> Enrolled:
        """The account enrolled at ``at`` with the code of that moment."""
        server = self.server(policy)
        clock = server.clock
        assert isinstance(clock, ManualClock)
        reg = server.register(self.user, self.password)
        codes = server.confirm(self.user, code_at(reg.secret, clock.now(), policy.params))
        return Enrolled(server, clock, reg.secret, tuple(codes))

    @cached_property
    def secret(self) -> str:
        """The secret the lesson's server gives the account: the same in every notebook."""
        return self.server().register(self.user, self.password).secret
