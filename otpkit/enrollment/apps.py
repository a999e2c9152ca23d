"""Authenticator app profiles: which otpauth parameters each app honours (FACTS.md section 5).

An app that does not honour a parameter either ignores it silently and uses its own default
(the codes then never match: the classic failed enrollment), or refuses the account.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import InvalidInput, UnsupportedByApp
from ..core.otp import OtpParams, secret_bits
from ..core.uri import KeyUri


@dataclass(frozen=True)
class AppProfile:
    """What one authenticator app does with an otpauth URI."""

    name: str
    title: str
    algorithms: frozenset[str]
    digits: frozenset[int]
    periods: frozenset[int] | None = None  # None: any period of at least min_period
    min_period: int = 1
    min_secret_bits: int = 0
    refuses_unsupported: bool = False
    note: str = ""

    def reading_of(self, key: KeyUri) -> tuple[OtpParams, tuple[str, ...]]:
        """The parameters this app will really use for ``key``, and what it ignored.

        Raises UnsupportedByApp when the app refuses the account.
        """
        if key.type != "totp":
            raise UnsupportedByApp(f"{self.title} in this kit shows time-based (totp) codes only")
        bits = secret_bits(key.secret)
        if bits < self.min_secret_bits:
            raise UnsupportedByApp(
                f"{self.title} refuses secrets under {self.min_secret_bits} bits; this one has {bits}"
            )
        wanted = key.params
        default = OtpParams()
        algorithm, digits, period = wanted.algorithm, wanted.digits, wanted.period
        ignored = []
        if algorithm not in self.algorithms:
            ignored.append(f"algorithm {algorithm} (uses {default.algorithm})")
            algorithm = default.algorithm
        if digits not in self.digits:
            ignored.append(f"{digits} digits (uses {default.digits})")
            digits = default.digits
        if not self._honours_period(period):
            ignored.append(f"period {period} s (uses {default.period} s)")
            period = default.period
        if ignored and self.refuses_unsupported:
            raise UnsupportedByApp(
                f"{self.title} cannot use " + ", ".join(i.split(" (")[0] for i in ignored)
            )
        return OtpParams(algorithm, digits, period), tuple(ignored)

    def _honours_period(self, period: int) -> bool:
        if self.periods is not None:
            return period in self.periods
        return period >= self.min_period


_SHA = frozenset({"SHA1", "SHA256", "SHA512"})

GOOGLE_AUTHENTICATOR_LEGACY = AppProfile(
    name="google-authenticator-legacy",
    title="Google Authenticator (legacy Android)",
    algorithms=frozenset({"SHA1"}),
    digits=frozenset({6}),
    periods=frozenset({30}),
    note="Reads only the secret: always SHA1, 6 digits, 30 s, whatever the URI says.",
)
GOOGLE_AUTHENTICATOR = AppProfile(
    name="google-authenticator",
    title="Google Authenticator",
    algorithms=_SHA,
    digits=frozenset({6, 8}),
    periods=frozenset({30}),
    note="SHA256/SHA512 and 8 digits reported to work; the period is always 30 s.",
)
AUTHY = AppProfile(
    name="authy",
    title="Twilio Authy",
    algorithms=frozenset({"SHA1"}),
    digits=frozenset({6}),
    periods=frozenset({30}),
    note="SHA1 and 30 s only; 8 digits are unreliable, modelled here as ignored.",
)
FREEOTP = AppProfile(
    name="freeotp",
    title="FreeOTP",
    algorithms=_SHA,
    digits=frozenset({6, 7, 8, 9}),
    min_period=5,
    min_secret_bits=128,
    refuses_unsupported=True,
    note="Honours algorithm, 6-9 digits and periods of 5 s or more; refuses secrets under 128 bits.",
)
AEGIS = AppProfile(
    name="aegis",
    title="Aegis",
    algorithms=_SHA,
    digits=frozenset(range(6, 11)),
    refuses_unsupported=True,
    note="Honours every parameter the kit can write.",
)

ALL: tuple[AppProfile, ...] = (
    GOOGLE_AUTHENTICATOR,
    GOOGLE_AUTHENTICATOR_LEGACY,
    AUTHY,
    FREEOTP,
    AEGIS,
)


def app_named(name: str) -> AppProfile:
    """The profile called ``name`` (as in ``AppProfile.name``)."""
    for app in ALL:
        if app.name == str(name).lower():
            return app
    raise InvalidInput(f"no app called {name!r}; choose one of {', '.join(a.name for a in ALL)}")
