"""An assignment: who is given which task, with the statement that says so."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Assignment:
    lead: str
    partners: list[str]
    task: str
    role: str  # a role of assistant.reading.frames ("lead", "cooperate", "requested", ...)
    statement: str  # the sentence, item or block that states it (what is quoted)
    start: int  # span of the statement in the source document
    end: int
    lead_in: str = ""  # the heading the lead comes from, when the statement does not name it
    source: str = ""
    title: str = ""
    chunk_id: str = ""
    all_partners: list[str] = field(default_factory=list)  # generic ones included
    order: str = ""  # how the text says it: subject, object, passive, executes, heading, field, row
    explicit: bool = True  # the statement names the lead itself
    issuer: str = ""  # who asks or directs the lead to do it
    is_task: bool = True  # a task to do (not a meeting chaired, a past action or a speech)
    heading_start: int = -1  # span of the heading the lead comes from
    heading_end: int = -1
    context: str = ""  # the headings above the statement, outermost first (" / " between them)
    confidence: float = 1.0  # that the table should list it (assistant.reading.confidence)
    listed: bool = True  # a task the assignments table lists
    item: str = ""  # for a task its heading's unit bears: the whole item, after its list marker
    lead_after: str = ""  # the lines after the statement that name its lead (a plan's role block)

    @property
    def quote(self) -> str:
        return "\n".join(part for part in (self.lead_in, self.statement, self.lead_after) if part)
