"""What the learner's credential pages show, shaped once here so templates stay plain."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wallet.curation_services import skill_key
from wallet.models import Skill


@dataclass(frozen=True)
class SkillRow:
    """One skill of a credential, with the alignment it came from if there is one."""

    skill: Skill | None
    name: str
    framework: str = ""
    code: str = ""
    url: str = ""


def skill_rows(normalized: Any, skills: Iterable[Skill]) -> list[SkillRow]:
    """The credential's skills and alignments, each listed once.

    An alignment becomes a skill on import (same merge key), so the two lists mostly
    name the same things: a skill takes its alignment's framework, code and link; an
    alignment with no skill (no name, or the learner deleted it) still shows, unlinked.
    """
    by_key = {skill.key: skill for skill in skills}
    alignments = normalized.get("alignments") if isinstance(normalized, dict) else None
    rows: list[SkillRow] = []
    shown: set[str] = set()
    for alignment in alignments if isinstance(alignments, list) else []:
        if not isinstance(alignment, dict):
            continue
        name = str(alignment.get("name") or alignment.get("code") or "").strip()
        framework = str(alignment.get("framework") or "").strip()
        code = str(alignment.get("code") or "").strip()
        if not name:
            continue
        key = skill_key(name=name, framework=framework, code=code)
        if key in shown:
            continue
        shown.add(key)
        rows.append(
            SkillRow(
                skill=by_key.get(key),
                name=by_key[key].name if key in by_key else name,
                framework=framework,
                code=code,
                url=str(alignment.get("url") or ""),
            )
        )
    for key, skill in by_key.items():
        if key not in shown:
            rows.append(
                SkillRow(
                    skill=skill,
                    name=skill.name,
                    framework=skill.framework,
                    code=skill.code,
                    url=skill.url,
                )
            )
    return sorted(rows, key=lambda row: row.name.casefold())
