"""The one error type of the JSON-LD layer."""


class JsonLdError(Exception):
    """A document could not be processed as JSON-LD; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
