"""Which amendments on a ballot are alternatives (DESIGN §4): at most one of them is carried.

Amendments are alternatives when they share an alternative group, or when they replace or
delete the same paragraph (both cannot be applied). Alternatives of alternatives are one
group, keyed by its lowest amendment number. Used where the ballot is frozen (counting) and
where a member answers it (the vote dialog), so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class OnBallot:
    """What of an amendment on the ballot decides its alternatives."""

    number: int
    group: int | None = None  # its alternative group, if marked
    paragraph_changed: int | None = None  # the paragraph it replaces or deletes, if any


def alternative_groups(amendments: Sequence[OnBallot]) -> dict[int, int]:
    """number -> the lowest number of its group, for amendments that have an alternative."""
    parent = {a.number: a.number for a in amendments}

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    def join(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first_of: dict[tuple[str, int], int] = {}
    for a in sorted(amendments, key=lambda a: a.number):
        keys = []
        if a.group is not None:
            keys.append(("group", a.group))
        if a.paragraph_changed is not None:
            keys.append(("paragraph", a.paragraph_changed))
        for key in keys:
            if key in first_of:
                join(first_of[key], a.number)
            else:
                first_of[key] = a.number
    members: dict[int, list[int]] = {}
    for a in amendments:
        members.setdefault(root(a.number), []).append(a.number)
    return {k: g for g, ks in members.items() if len(ks) > 1 for k in ks}
