"""Every state change of the sharing app, split by noun."""

from sharing.services.access import (
    PasscodeLocked,
    check_passcode,
    client_key,
    queue_stale_reverifications,
    record_share_view,
    tell_passcode_guessing,
    unlock_marker,
)
from sharing.services.links import (
    DEFAULT_EXPIRY_DAYS,
    LinkOptions,
    Selection,
    create_linkedin_link,
    create_share_link,
    default_expiry,
    extend_share_link,
    linkedin_add_url,
    not_shareable_message,
    passcode_too_short_message,
    regenerate_share_link,
    revoke_share_link,
    suggest_passphrase,
    update_share_link,
)
from sharing.services.transcripts import (
    current_transcript,
    render_transcript,
    request_transcript,
)

__all__ = [
    "DEFAULT_EXPIRY_DAYS",
    "LinkOptions",
    "PasscodeLocked",
    "Selection",
    "check_passcode",
    "client_key",
    "create_linkedin_link",
    "create_share_link",
    "current_transcript",
    "default_expiry",
    "extend_share_link",
    "linkedin_add_url",
    "not_shareable_message",
    "passcode_too_short_message",
    "queue_stale_reverifications",
    "record_share_view",
    "regenerate_share_link",
    "render_transcript",
    "request_transcript",
    "revoke_share_link",
    "suggest_passphrase",
    "tell_passcode_guessing",
    "unlock_marker",
    "update_share_link",
]
