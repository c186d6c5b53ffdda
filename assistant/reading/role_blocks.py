"""A plan's role blocks: a section's tasks, then who leads and who cooperates, as lines of their own.

    VIII. BẢO ĐẢM PHƯƠNG TIỆN, TRANG BỊ, KINH PHÍ ...
    1. Nội dung, biện pháp
    a) Rà soát phương tiện hiện có ...            <- the section's tasks
    2. Cơ quan chủ trì, phối hợp                  <- the role block
    a) Cơ quan chủ trì: Bộ Quốc phòng; Bộ Tài chính.
    b) Cơ quan phối hợp
    - Các quân khu, các tỉnh

Each item under a lead label (or the value after its colon) is one group of leads: the plan lists
them apart ("- Ban Chỉ đạo quốc gia.", "- Bộ Quốc phòng; Bộ Lao động - Thương binh và Xã hội.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.reading.assignment import Assignment
from assistant.reading.frames import LEAD
from assistant.reading.unit_lists import parse_units
from assistant.reading.units import MAX_UNIT_CHARS, clean_unit, is_generic
from index.knowledge import alternation, load
from index.outline import FIELD, OutlineLine

LEAD_LABEL, PARTNERS_LABEL = "lead", "partners"
FIELD_ORDER = "field"  # the order of assignments read from field lines and role blocks
MAX_LIST_CHARS = 160  # a longer item under a label is a note, not a list of units


@dataclass
class RoleBlock:
    section: int  # the line whose tasks the block assigns
    lines: list[int]  # the block's own lines (labels, unit items, fields)
    lead_groups: list[list[str]] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    tasks: list[int] = field(default_factory=list)  # the task lines of the section


@lru_cache(maxsize=1)
def _label() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = load("outline")["role_label"]
    words = alternation(data["lead"] + data["partners"], longest_first=True, any_space=True)
    label = re.compile(
        rf"(?P<head>(?:{alternation(data['heads'], longest_first=True, any_space=True)})\s+)?"
        rf"(?P<roles>(?:{words})(?:\s*(?:,|và)\s*(?:{words}))*)(?:\s+thực\s+hiện)?\s*[:.]?\s*$",
        re.IGNORECASE,
    )
    lead = re.compile(rf"(?:{alternation(data['lead'], longest_first=True, any_space=True)})", re.IGNORECASE)
    partners = re.compile(rf"(?:{alternation(data['partners'], longest_first=True, any_space=True)})", re.IGNORECASE)
    named = re.compile(rf"(?:{alternation(data['named'], any_space=True)})", re.IGNORECASE)
    return label, lead, partners, named


def label_roles(text: str, line: OutlineLine) -> set[str]:
    """The roles a line's label names ({"lead"}, {"partners"} or both); empty for a line that is no label."""
    label, lead, partners, named = _label()
    m = label.match(text, line.body, line.end)
    if m is None or (m.group("head") is None and not named.search(m.group("roles"))):
        return set()
    roles = m.group("roles")
    found = {PARTNERS_LABEL} if partners.search(roles) else set()
    if lead.search(partners.sub("", roles)):  # "cùng thực hiện" names partners, "thực hiện" a lead
        found.add(LEAD_LABEL)
    return found


def _descends(lines: list[OutlineLine], index: int, ancestor: int) -> bool:
    while index >= 0:
        if index == ancestor:
            return True
        index = lines[index].parent
    return False


def _units(text: str, start: int, end: int) -> list[str]:
    """The units an item under a label lists: all of it is names ("- Các cơ quan báo chí Trung ương, địa phương")."""
    value = text[start:end].strip(" .;")
    if not value or len(value) > MAX_LIST_CHARS or value.startswith("("):
        return []  # a note or a sentence under the label, no list of units
    units, after = parse_units(text, start, end)
    rest = text[after:end].strip(" .;")
    if units and len(rest.split()) <= 2:  # "..., Đoàn Thanh niên Cộng sản Hồ Chí Minh các cấp"
        return [*units[:-1], f"{units[-1]} {rest}".strip()]
    parts = [clean_unit(part) for part in value.split(";") if part.strip()]
    return parts if all(len(p) <= MAX_UNIT_CHARS for p in parts) else []


def role_blocks(text: str, lines: list[OutlineLine]) -> list[RoleBlock]:
    blocks: list[RoleBlock] = []
    roles = [label_roles(text, line) if line.kind != FIELD else set() for line in lines]
    items: dict[int, list[int]] = {}  # each line's items, fields left out
    for k, line in enumerate(lines):
        if line.kind != FIELD:
            items.setdefault(line.parent, []).append(k)
    i = 0
    while i < len(lines):
        line = lines[i]
        if not roles[i] or line.parent < 0 or not line.children:
            i += 1
            continue
        section = line.parent
        block = RoleBlock(section, [i])
        j = i + 1
        while j < len(lines) and (_descends(lines, j, i) or lines[j].kind == FIELD):
            block.lines.append(j)
            j += 1
        for k in block.lines:
            sub = lines[k]
            if sub.kind == FIELD:
                if sub.field_role == LEAD_LABEL:
                    block.lead_groups.append(_units(text, sub.body, sub.end))
                elif sub.field_role == PARTNERS_LABEL:
                    block.partners += _units(text, sub.body, sub.end)
                continue
            owner_roles = roles[sub.parent] if sub.parent in block.lines else set()
            if roles[k] or len(owner_roles) != 1:
                continue  # a label, or an item under a label naming both roles
            units = _units(text, sub.body, sub.end)
            if not units and text[sub.body : sub.end].lstrip().startswith("("):
                continue  # a note under the label: "(Văn phòng Ban Chỉ đạo đồng thời là cơ quan trung tâm ...)"
            if not units:
                block.lead_groups = []  # a sentence under the label ("2. Trách nhiệm thực hiện" then "- Sở X chủ trì ...")
                break
            if LEAD_LABEL in owner_roles:
                block.lead_groups.append(units)
            else:
                block.partners += units
        for k in items.get(section, []):
            if k not in block.lines:
                block.tasks += items.get(k) or [k]
        if block.lead_groups and all(block.lead_groups) and block.tasks:
            blocks.append(block)
        i = j
    return blocks


def block_assignments(text: str, lines: list[OutlineLine], blocks: list[RoleBlock]) -> dict[int, list[Assignment]]:
    """Each task of a section with a role block (by its line), once for each group of leads the block lists; quoted
    with the section's title before it and the block after it."""
    out: dict[int, list[Assignment]] = {}
    for block in blocks:
        section = lines[block.section]
        first, last = lines[block.lines[0]], lines[block.lines[-1]]
        title, block_text = text[section.start : section.end], text[first.start : last.end]
        partners = [p for p in block.partners if not is_generic(p)]
        for task in block.tasks:
            line = lines[task]
            out[task] = [Assignment(
                lead=", ".join(group), partners=partners, task=text[line.body : line.end].strip(" .;"), role=LEAD,
                statement=text[line.start : line.end], start=line.start, end=line.end, lead_in=title,
                lead_after=block_text, all_partners=list(block.partners), order=FIELD_ORDER, explicit=False,
                heading_start=first.start, heading_end=last.end,
            ) for group in block.lead_groups]
    return out
