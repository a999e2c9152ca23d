"""What the real server answers when it refuses a request, per endpoint and kind of refusal.

Policies in the "misskey" dialect carry Misskey's own replies (status, error code and id, and
the message of a plain Error that its API turns into a 500); docs/misskey-sources.md cites each.
Policies in the "kit" dialect carry the kit's made-up replies, marked as the kit's.
"""

from __future__ import annotations

from ..core.errors import OtpkitError, ServerAnswer
from .policy import Policy

# Misskey's API wraps any plain Error thrown by an endpoint as this one (ApiCallService):
INTERNAL_ERROR = ("INTERNAL_ERROR", "5d37dbcb-891e-41ca-a3d6-e690c97775ac")
INVALID_PARAM = ("INVALID_PARAM", "3d81ceae-475f-4600-b2a8-2bc116157532")

# (endpoint, kind) -> (status, code, id, message). Endpoints: "signin", "i/2fa/register",
# "i/2fa/done" and "i/2fa/unregister". A 500's message is the plain Error's, which Misskey's
# reply carries in error.info.e.message.
MISSKEY_ANSWERS: dict[tuple[str, str], tuple[int, str | None, str | None, str | None]] = {
    ("signin", "invalid"): (400, None, None, None),
    ("signin", "no_such_user"): (404, None, "6cc579cc-885d-43d8-95c2-b8c7fc963280", None),
    ("signin", "wrong_password"): (403, None, "932c904e-9460-45b7-9ce6-7ed33be7eb2c", None),
    ("signin", "wrong_token"): (403, None, "cdf1235b-ac71-46d4-a3a6-84ccce48df6f", None),
    ("signin", "rate_limited"): (
        429,
        "TOO_MANY_AUTHENTICATION_FAILURES",
        "22d05606-fbcf-421a-a2db-b32610dcfd1b",
        "Too many failed attempts to sign in. Try again later.",
    ),
    ("i/2fa/register", "wrong_password"): (
        400,
        "INCORRECT_PASSWORD",
        "78d6c839-20c9-4c66-b90a-fc0542168b48",
        "Incorrect password.",
    ),
    ("i/2fa/unregister", "wrong_password"): (
        400,
        "INCORRECT_PASSWORD",
        "7add0395-9901-4098-82f9-4f67af65f775",
        "Incorrect password.",
    ),
    ("i/2fa/register", "wrong_token"): (500, *INTERNAL_ERROR, "authentication failed"),
    ("i/2fa/unregister", "wrong_token"): (500, *INTERNAL_ERROR, "authentication failed"),
    ("i/2fa/done", "not_started"): (500, *INTERNAL_ERROR, "二段階認証の設定が開始されていません"),
    ("i/2fa/done", "wrong_token"): (500, *INTERNAL_ERROR, "not verified"),
    ("i/2fa/done", "replayed"): (500, *INTERNAL_ERROR, "not verified"),
}
# Elsewhere a used step fails inside the same check as a wrong code, and is answered alike.
for _endpoint in ("signin", "i/2fa/register", "i/2fa/unregister"):
    MISSKEY_ANSWERS[(_endpoint, "replayed")] = MISSKEY_ANSWERS[(_endpoint, "wrong_token")]
# Today's Misskey checks the code at i/2fa/done with the same function as sign-in, whose own
# Error says "authentication failed"; "not verified" is left for a step already used.
MISSKEY_TODAY = {("i/2fa/done", "wrong_token"): (500, *INTERNAL_ERROR, "authentication failed")}


def answer(policy: Policy, endpoint: str, kind: str, error: type[OtpkitError]) -> ServerAnswer:
    """The reply ``policy``'s server gives at ``endpoint`` for a refusal of ``kind``."""
    if policy.dialect == "misskey":
        table = MISSKEY_ANSWERS
        if policy.used_step_guard is not None:
            table = {**MISSKEY_ANSWERS, **MISSKEY_TODAY}
        status, code, error_id, message = table.get((endpoint, kind), (400, *INVALID_PARAM, None))
        return ServerAnswer(status, code, error_id, message, who=policy.title)
    if endpoint.startswith("i/2fa/") and kind in ("wrong_token", "replayed"):
        return error.kit_answer(policy.wrong_code_status)
    return error.kit_answer()
