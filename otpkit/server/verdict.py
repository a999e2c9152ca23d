"""The TOTP verdict: does this code match, at which time step, and is it a replay?

A pure function of the secret, the code, the time and the policy's numbers; it reads no clock
and changes nothing. The server decides what to do with the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.otp import OtpParams, is_well_formed_code, matching_offset, step_at


@dataclass(frozen=True)
class Verdict:
    """``offset``: the matched step minus the server's step now (None: no step matched).
    ``step``: the matched step itself. ``replayed``: it matched, but a policy that remembers the
    last accepted step (RFC 6238's way) has seen this step or a later one already."""

    offset: int | None
    step: int | None
    replayed: bool = False

    @property
    def matched(self) -> bool:
        return self.offset is not None

    @property
    def accepted(self) -> bool:
        return self.matched and not self.replayed


NO_MATCH = Verdict(None, None)


def totp_verdict(
    secret: str,
    token: str,
    now: float,
    params: OtpParams,
    window: int,
    drift: int = 0,
    last_step: int | None = None,
) -> Verdict:
    """Check ``token`` against the steps ``window`` each way around now (shifted by ``drift``
    steps); with ``last_step`` given, a step at or before it is a replay."""
    if not is_well_formed_code(token, params.digits):
        return NO_MATCH
    centre = now + drift * params.period
    found = matching_offset(secret, token, centre, params, window)
    if found is None:
        return NO_MATCH
    step = step_at(centre, params.period) + found
    replayed = last_step is not None and step <= last_step
    return Verdict(step - step_at(now, params.period), step, replayed)
