"""Follow-up questions: "Còn những đơn vị nào phối hợp?" after a question about a task."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.types import Answer
from index.textnorm import fold

_ANAPHORA = re.compile(
    r"\b(vu|don vi|co quan|cuc|bo|so|ban) (do|nay|tren)\b|\b(ho|it|they|that unit|this unit|that department)\b"
)
_TOPIC_ANAPHORA = re.compile(
    r"\b(viec|nhiem vu|van de|cong viec|hoat dong|ke hoach|chuong trinh|noi dung|de an) (do|nay|tren)\b|"
    r"\b(this|that|these)( task| work| plan)?\b"
)
_FOLLOW_UP = re.compile(r"^(con|va|the con|vay|how about|and)\b|\b(khac|nua|else|other)\b")


@dataclass
class Resolved:
    text: str  # the question with the referent filled in
    context: str  # earlier question whose content words still apply
    exclude: list[tuple[str, int]]  # (source, start) of what was already answered
    # (source, start, end) of the statements the previous turn answered from, when the follow-up asks more of them
    # ("Còn những đơn vị nào phối hợp?"): the conversation has shown they are what it is about
    established: list[tuple[str, int, int]] = field(default_factory=list)


def resolve(question: str, history: Sequence[Answer]) -> Resolved:
    previous = next((a for a in reversed(history) if a.answered), None)
    folded = fold(question)
    if previous is None or not (_ANAPHORA.search(folded) or _FOLLOW_UP.search(folded) or _TOPIC_ANAPHORA.search(folded)):
        return Resolved(question, "", [])
    text = question
    if previous.lead and _ANAPHORA.search(folded):
        text = re.sub(
            r"\b([Vv]ụ|[Đđ]ơn vị|[Cc]ơ quan|[Cc]ục|[Bb]ộ|[Ss]ở|[Bb]an) (đó|này|trên)\b|\b(họ|it|they)\b",
            previous.lead, question, count=1,
        )
    if re.search(r"\b(khac|nua|else|other)\b", folded):
        return Resolved(text, previous.question, [(c.source, c.start) for c in previous.citations])
    return Resolved(text, previous.question, [], [(c.source, c.start, c.end) for c in previous.citations])
