"""The settings of certificates (docs/configuration.md), read as ``conf.VERIFY_RATE``.

The signing key itself (``DIMOS_SIGNING_PKCS12`` and its password) stays in ``settings.py``: it
is the municipality's, required in production before anything starts, and backed up with the
platform's secrets.
"""

from dimos.core.conf import AppConf, Setting


class CertificatesConf(AppConf):
    # An RFC 3161 timestamp authority: signatures become PAdES B-T.
    SIGNING_TSA_URL = Setting("DIMOS_SIGNING_TSA_URL", str, "")
    UPLOAD_MAX_BYTES = Setting("DIMOS_CERTIFICATES_UPLOAD_MAX_BYTES", int, 5 * 1024 * 1024)
    # Assistance at Home: residents of this age or older may ask for delivery at home.
    HOME_DELIVERY_AGE = Setting("DIMOS_CERTIFICATES_HOME_DELIVERY_AGE", int, 70)
    # Public verification: lookups and uploads per client address ("count/m" or "count/h").
    VERIFY_RATE = Setting("DIMOS_VERIFY_RATE", str, "60/m")
    # An uploaded PDF found in the registry has its signature checked in a child process
    # bounded by these: wall-clock seconds and address space in megabytes (a PDF not in the
    # registry is never parsed at all).
    VERIFY_TIMEOUT = Setting("DIMOS_VERIFY_TIMEOUT", float, 10.0)
    VERIFY_MEMORY_MB = Setting("DIMOS_VERIFY_MEMORY_MB", int, 512)


conf = CertificatesConf()
