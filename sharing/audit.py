"""The audit actions of share links, registered with credentials' audit log."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShareLinkAction(models.TextChoices):
    SHARE_LINK_CREATED = "share_link.created", _("Share link created")
    SHARE_LINK_CHANGED = "share_link.changed", _("Share link changed")
    SHARE_LINK_REVOKED = "share_link.revoked", _("Share link revoked")
    SHARE_LINK_REGENERATED = "share_link.regenerated", _("Share link address regenerated")
    PASSCODE_LOCKOUT = "share_link.passcode_lockout", _("Share link passcode locked out")
