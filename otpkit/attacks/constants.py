"""The attacks' constants: the lesson's account and time, the attacker's rate, the addresses."""

from __future__ import annotations

from ..core import demo

HOUR = demo.HOUR
DAY = demo.DAY
YEAR = demo.YEAR
AT = demo.AT
# An assumption, not a measurement: requests per second one attacker sends when nothing slows it.
ATTACKER_RATE = 10.0
USER = demo.USER
PASSWORD = demo.PASSWORD
VICTIM_IP = "192.0.2.10"
ATTACKER_IP = "198.51.100.66"
