"""Who an organisation is beyond one programme: the key of its calendar across programmes.

An organisation id is local to its programme: «oo» in the plan of Lipetsk oblast and «oo» in
the plan of Lysva (Perm krai) are the schools of two regions. Across programmes an organisation
is identified by its ИНН when the spec gives one (the same legal entity wherever it appears),
else by the programme's region together with its id. The key is also the address of its feed:

    calendars/inn/<ИНН>.ics                    an organisation with an ИНН
    calendars/<region, transliterated>/<id>.ics   one without (calendars/lipetskaya-oblast/oo.ics)
"""

from __future__ import annotations

import re

import iuliia

from engine.model.spec import Organisation

SHARED_FEEDS = "calendars"
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")


def slug(text: str, fallback: str) -> str:
    """Russian text as a path segment: transliterated (iuliia, Wikipedia's scheme), lower case, «-» between words."""
    latin = iuliia.WIKIPEDIA.translate(text).lower()
    found = re.sub(r"[^a-z0-9]+", "-", latin).strip("-")
    return found if _SLUG.fullmatch(found) else fallback


def organisation_identity(region: str, org_id: str, organisation: Organisation) -> str:
    """The organisation across programmes: «inn/<ИНН>» or «<region slug>/<id>»."""
    if organisation.inn:
        return f"inn/{organisation.inn}"
    return f"{slug(region, 'region')}/{org_id}"


def shared_feed(identity: str) -> str:
    """The path of the organisation's feed across programmes, under outputs/."""
    return f"{SHARED_FEEDS}/{identity}.ics"
