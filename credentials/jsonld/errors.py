"""The error types of the JSON-LD layer."""


class JsonLdError(Exception):
    """A document could not be processed as JSON-LD; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnknownContextError(JsonLdError):
    """A context the wallet does not bundle: nothing is proven wrong, it cannot be read."""

    def __init__(self, url: str) -> None:
        super().__init__(f"unknown JSON-LD context: {url}")
        self.url = url
