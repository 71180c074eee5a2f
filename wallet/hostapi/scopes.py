"""The scopes of the Open Badges 3.0 and CLR 2.0 host API, and what each allows in plain words."""

from django.utils.translation import gettext_lazy as _

OB = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CLR = "https://purl.imsglobal.org/spec/clr/v2p0/scope/"

OB_READ = OB + "credential.readonly"
OB_UPSERT = OB + "credential.upsert"
OB_PROFILE_READ = OB + "profile.readonly"
OB_PROFILE_UPDATE = OB + "profile.update"
CLR_READ = CLR + "credential.readonly"
CLR_UPSERT = CLR + "credential.upsert"
CLR_PROFILE_READ = CLR + "profile.readonly"
CLR_PROFILE_UPDATE = CLR + "profile.update"

# The consent page says each in the learner's words; the discovery document in the
# specification's.
SCOPES = {
    OB_READ: _("See your Open Badges it may read"),
    OB_UPSERT: _("Put Open Badges into your wallet, and replace the ones it put there"),
    OB_PROFILE_READ: _("See your display name, headline and bio"),
    OB_PROFILE_UPDATE: _("Suggest changes to your display name and bio, which you review first"),
    CLR_READ: _("See your learner records it may read"),
    CLR_UPSERT: _("Put learner records (CLR) into your wallet, and replace the ones it put there"),
    CLR_PROFILE_READ: _("See your display name, headline and bio"),
    CLR_PROFILE_UPDATE: _("Suggest changes to your display name and bio, which you review first"),
}

SPEC_DESCRIPTIONS = {
    OB_READ: "Permission to read AchievementCredentials for the authenticated entity.",
    OB_UPSERT: (
        "Permission to create or update AchievementCredentials for the authenticated entity."
    ),
    OB_PROFILE_READ: "Permission to read the profile for the authenticated entity.",
    OB_PROFILE_UPDATE: "Permission to update the profile for the authenticated entity.",
    CLR_READ: "Permission to read ClrCredentials for the authenticated entity.",
    CLR_UPSERT: "Permission to create or update ClrCredentials for the authenticated entity.",
    CLR_PROFILE_READ: "Permission to read the profile for the authenticated entity.",
    CLR_PROFILE_UPDATE: "Permission to update the profile for the authenticated entity.",
}

SUPPORTED = tuple(SCOPES)


def split(scope: str | None) -> list[str]:
    """The scopes in a space-separated string, in the order given, each once."""
    return list(dict.fromkeys((scope or "").split()))


def plain_words(scope: str) -> list[str]:
    """What a granted scope string allows, one line per distinct permission."""
    return list(dict.fromkeys(str(SCOPES[item]) for item in split(scope) if item in SCOPES))
