class EsignError(Exception):
    """Signing failed. `permanent` errors (bad certificate, bad PDF) will not heal by retrying."""

    def __init__(self, message: str, *, permanent: bool = True) -> None:
        super().__init__(message)
        self.permanent = permanent
