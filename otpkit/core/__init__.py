"""The core: what every other part of the kit stands on, and which imports nothing above it.

What's where:

- ``clock``: clocks (fixed, manual, system, drifting) and the one range of Unix times.
- ``randomness``: the OS CSPRNG by default, ``DemoRandom(seed)`` for lessons only.
- ``otp``: parameters, secrets and codes (through pyotp).
- ``uri``: otpauth:// key URIs, strict to read, exact to write.
- ``qr``: QR images drawn with qrcode and read with zxing-cpp (safe formats only).
- ``backup``: backup-code schemes and Misskey's download file.
- ``hashing``: bcrypt with the salt from the injected generator.
- ``errors``: every error the kit raises, with the real server's answer beside the kit's words.
- ``report``: plain-text tables and durations for lessons.
- ``demo``: the lessons' clock time, seed, account and password, in one place.

Notebook 02 takes a code apart with these alone; every other notebook uses them underneath.
"""
