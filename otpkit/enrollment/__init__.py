"""Enrollment: the documented procedure, and the phones and apps that take part in it.

What's where:

- ``flow``: ``EnrollmentFlow``, the nine stages in order, driving a server and a phone.
- ``phone``: ``Phone``, a device clock and an authenticator app reading QR codes and links.
- ``apps``: what each authenticator app honours of an otpauth URI (notebook 06).
- ``compat``: which app and server pairs work, enrolled for real (notebook 06).
- ``recovery``: when things go wrong: a lost phone, a new phone, a wrong clock (notebook 08).

The stage table every view reads is ``otpkit.stages``. Notebooks 01 and 08 drive this room.
"""
