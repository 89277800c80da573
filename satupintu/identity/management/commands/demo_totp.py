"""Print the current TOTP code of a demo officer (and the otpauth URI for an authenticator app)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from satupintu.identity.officer_demo import DEMO_TOTP_KEY, DEMO_TOTP_SECRET_B32


class Command(BaseCommand):
    help = "Kode TOTP saat ini untuk akun petugas demo / Current TOTP code of a demo officer."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True, name="demo").first()
        if device is None or device.bin_key != DEMO_TOTP_KEY:
            raise CommandError(f"{email} is not a demo officer with the published demo TOTP secret "
                               "(only demo accounts have one; real officers use their own app).")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"Kode TOTP / TOTP code: {totp.token():0{device.digits}d}  (berlaku {left} detik lagi)")
        self.stdout.write(f"Kunci / secret (base32): {DEMO_TOTP_SECRET_B32}")
        self.stdout.write(f"otpauth URI: {device.config_url}")
