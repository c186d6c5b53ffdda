"""Checks of a user's question that need nothing loaded, so a bad question is refused at once."""

from __future__ import annotations


class QuestionError(ValueError):
    """A question the assistant refuses, with a message for the user."""


def validate_question(question: str, max_chars: int) -> str:
    text = (question or "").strip()
    if not text:
        raise QuestionError("Câu hỏi trống: hãy nhập một câu hỏi. (The question is empty.)")
    if len(text) > max_chars:
        raise QuestionError(
            f"Câu hỏi quá dài ({len(text)} ký tự, tối đa {max_chars}). (The question is too long.)"
        )
    if not any(c.isalnum() for c in text):
        raise QuestionError("Câu hỏi chỉ có dấu câu, không có chữ. (The question has no words.)")
    return text
