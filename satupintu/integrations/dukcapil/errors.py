"""Registry errors, marked retryable (timeout, 5xx, 429 — try again later, maybe after
`retry_after` seconds) or permanent (other 4xx: our request or key is wrong)."""

from __future__ import annotations


class RegistryError(Exception):
    retryable = False

    def __init__(self, message: str, *, status: int | None = None, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class RegistryUnavailable(RegistryError):
    """Timeout, connection failure, 5xx or 429: the citizen can continue later."""

    retryable = True


class RegistryRejected(RegistryError):
    """4xx other than 429: a bug or misconfiguration on our side; retrying will not help."""

    retryable = False


class RegistryNoMatch(RegistryError):
    """The registry has no resident matching the claim (e.g. for the family look-up)."""

    retryable = False
