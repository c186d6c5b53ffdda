"""The frames table: the roles a sentence gives its units, the Frame record, and the verbs and word lists of
`knowledge/frames.toml` that frames are read with (see assistant.reading.frames)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from index.knowledge import alternation, load

SUBJECT, OBJECT, PASSIVE, EXECUTES, APPOSITION, COPULA = "subject", "object", "passive", "executes", "apposition", "copula"
LEAD, COOPERATE, HEADS, CHAIRS, GUIDES, REQUESTED, DIRECTED, GIVES, RECEIVES = (
    "lead", "cooperate", "heads", "chairs", "guides", "requested", "directed", "gives", "receives"
)
TASK_ROLES = frozenset({LEAD, COOPERATE, HEADS, GUIDES, REQUESTED, DIRECTED, EXECUTES, RECEIVES})
_W, _E = r"(?<![\w])", r"(?![\w])"


@dataclass
class Frame:
    lead: str  # "" when the sentence names none: the heading above gives it
    partners: list[str]
    task: str
    role: str
    order: str
    start: int = 0  # the sentence
    end: int = 0
    lead_start: int = -1  # where the lead is named in the text (-1: not in this sentence)
    issuer: str = ""  # who gives the task, for a unit asked or directed by another
    past: bool = False  # what was done, not what is to be done
    speech: bool = False  # what a unit says
    no_task: bool = False  # read for answering, but not a task (a place to turn to, the text's own issuing)
    all_partners: list[str] = field(default_factory=list)
    titled: bool = False  # its unit is a title before a colon ("Sở Y tế: Chủ trì ..."), as a heading is
    directs: bool = False  # a unit that directs another ("Sở X chỉ đạo các cơ quan ..."): directing is its own task

    @property
    def is_task(self) -> bool:
        return ((self.role in TASK_ROLES or self.directs) and not self.past and not self.speech and not self.no_task
                and self.order != APPOSITION)


def _alternation(words: list[str]) -> str:
    return alternation(words, longest_first=True, any_space=True)


@dataclass(frozen=True)
class _Knowledge:
    verbs: re.Pattern[str]
    roles: dict[str, tuple[str, str]]  # folded-space verb -> (role, order)
    meeting: re.Pattern[str]
    speech: re.Pattern[str]
    past: re.Pattern[str]
    heading_task: re.Pattern[str]
    filler: re.Pattern[str]
    partner_intro: re.Pattern[str]
    cooperation: re.Pattern[str]
    exception: re.Pattern[str]
    issuing: re.Pattern[str]
    copula: re.Pattern[str]
    receive_task: re.Pattern[str]
    opener: re.Pattern[str]
    subordinate: re.Pattern[str]
    proposal: re.Pattern[str]
    recipient: re.Pattern[str]
    duty: frozenset[str]  # lower-case verbs
    manner: re.Pattern[str]
    activity_words: int
    object_lead_in: re.Pattern[str]


@lru_cache(maxsize=1)
def knowledge() -> _Knowledge:
    data = load("frames")
    roles: dict[str, tuple[str, str]] = {}
    for frame in data["frame"]:
        for verb in frame["verbs"]:
            roles[verb.lower()] = (frame["role"], frame["order"])
    return _Knowledge(
        verbs=re.compile(_W + f"({_alternation(list(roles))})" + _E, re.IGNORECASE),
        roles=roles,
        meeting=re.compile(rf"\s*(?:các\s+|một\s+|buổi\s+)?(?:{_alternation(data['meeting_nouns'])}){_E}", re.IGNORECASE),
        speech=re.compile(rf"[\s,]*(?:(?:đã|cũng|còn|thì|xin|trân trọng)\s+)*(?:{_alternation(data['speech_verbs'])}){_E}", re.IGNORECASE),
        past=re.compile(_W + f"(?:{_alternation(data['past_markers'])})" + _E, re.IGNORECASE),
        heading_task=re.compile(rf"(?:{_alternation(data['heading_tasks'])})\s*(?:đây)?\s*:?\s*$", re.IGNORECASE),
        filler=re.compile(rf"[\s,]*(?:(?:{_alternation(data['fillers'])})[\s,]*)*", re.IGNORECASE),
        partner_intro=re.compile(rf"[\s,;]*(?:và\s+)?(?:{_alternation(data['partner_intros'])})\s+", re.IGNORECASE),
        # the intros that say cooperation outright (not a bare "với", "và")
        cooperation=re.compile(rf"(?<!\w)(?:{_alternation([p for p in data['partner_intros'] if ' ' in p])})\s+", re.IGNORECASE),
        exception=re.compile(rf"(?:{_alternation(data['verb_exceptions'])}){_E}", re.IGNORECASE),
        issuing=re.compile(rf"(?:{_alternation(data['issuing'])})", re.IGNORECASE),
        copula=re.compile(rf"(?:{_alternation(data['copula_offices'])})(?:\s+[^.;:]{{0,80}}?)?\s+là\s+"),
        receive_task=re.compile(rf"\s*(?:{_alternation(data['receive_tasks'])}){_E}", re.IGNORECASE),
        opener=re.compile(rf"(?:{_alternation(data['clause_openers'])}){_E}", re.IGNORECASE),
        subordinate=re.compile(rf"{_W}(?:{_alternation(data['subordinators'])})\s*$", re.IGNORECASE),
        proposal=re.compile(rf"{_W}(?:{_alternation(data['proposals'])})\s*$", re.IGNORECASE),
        recipient=re.compile(rf"{_W}(?:{_alternation(data['recipient_verbs'])})\s*$", re.IGNORECASE),
        duty=frozenset(v.lower() for v in data["duty_verbs"]),
        manner=re.compile(rf"(?<!\w)(?:{_alternation(data['manner_words'])}){_E}", re.IGNORECASE),
        activity_words=int(data["activity_name_max_words"]),
        object_lead_in=re.compile(rf"(?:{_alternation(data['object_lead_ins'])})\s+", re.IGNORECASE),
    )


TASK_START = re.compile(r"^[\s,;:.\-–]*(?:(?:và|để|nhằm|tiến hành|\(?khi có yêu cầu\)?|theo chức năng, nhiệm vụ(?: được giao)?)[\s,]+)*",
                        re.IGNORECASE)
DO_BEFORE = re.compile(r"\bdo\s*$", re.IGNORECASE)  # "Hội nghị do Thứ trưởng X chủ trì": the agent after "do"
COMMA = re.compile(r"\s*,\s*")
# what may open a sentence that goes on with the actor of the one before ("Đồng thời, chỉ đạo ...")
LINKER = re.compile(rf"(?:(?:{_alternation(load('frames')['sentence_linkers'])}|Trường hợp [^,]{{0,60}}),\s*)?")


def verb_roles(text: str) -> list[tuple[str, str, int, int]]:
    """(role, order, start, end) of every frame verb in text."""
    k = knowledge()
    return [(*k.roles[re.sub(r"\s+", " ", m.group(1).lower())], m.start(1), m.end(1)) for m in k.verbs.finditer(text)
            if not _in_name(text, m.start(1))]


_WORD_BEFORE = re.compile(r"(?<!\w)(\w[\w&]*) $")


def _in_name(text: str, verb_start: int) -> bool:
    """A capitalised verb right after a capitalised word goes on a name ("Ban Chỉ đạo", "Trung tâm Hướng dẫn")."""
    if not text[verb_start : verb_start + 1].isupper():
        return False
    before = _WORD_BEFORE.search(text, max(0, verb_start - 30), verb_start)
    return before is not None and before.group(1)[0].isupper()
