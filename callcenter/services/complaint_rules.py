"""Checks on what people type into a complaint: each refusal names the field and why."""

from __future__ import annotations

from callcenter.domain.complaints import (
    MAX_SUBJECT,
    MAX_TEXT,
    UNCHANGED,
    ComplaintChanges,
    ComplaintDraft,
    ComplaintInvalid,
    ResolutionCode,
)


def _text(field: str, value: str, required: bool, limit: int = MAX_TEXT) -> str:
    """The text as typed (kept verbatim, markup and all), unless empty or too long."""
    if not isinstance(value, str):
        raise ComplaintInvalid(field, "must be text")
    if required and not value.strip():
        raise ComplaintInvalid(field, "must not be empty")
    if len(value) > limit:
        raise ComplaintInvalid(
            field, f"is {len(value):,} characters long; at most {limit:,} are kept"
        )
    if "\x00" in value:
        raise ComplaintInvalid(field, "contains a NUL character, which cannot be stored")
    return value


def check_subject(subject: str) -> str:
    return _text("subject", subject, required=True, limit=MAX_SUBJECT).strip()


def check_draft(draft: ComplaintDraft) -> ComplaintDraft:
    """The draft with its subject trimmed; categories are checked against the database."""
    if draft.subcategory_id is not None and draft.category_id is None:
        raise ComplaintInvalid("category", "choose the category of the subcategory")
    if draft.call_uid is not None:
        check_call_uid(draft.call_uid)
    return ComplaintDraft(
        customer_id=draft.customer_id,
        subject=check_subject(draft.subject),
        description=_text("description", draft.description, required=False),
        category_id=draft.category_id,
        subcategory_id=draft.subcategory_id,
        priority=draft.priority,
        channel=draft.channel,
        assignee=draft.assignee,
        team=draft.team,
        call_uid=draft.call_uid,
    )


def check_changes(changes: ComplaintChanges) -> None:
    if changes.subject is not UNCHANGED:
        check_subject(changes.subject)
    if changes.description is not UNCHANGED:
        _text("description", changes.description, required=False)


def check_comment(body: str) -> str:
    return _text("comment", body, required=True)


def check_reason(reason: str) -> str:
    return _text("reason", reason, required=True).strip()


def check_resolution(note: str, code: ResolutionCode | str) -> tuple[str, ResolutionCode]:
    clean_note = _text("resolution_note", note, required=True)
    try:
        clean_code = ResolutionCode(code)
    except ValueError:
        known = ", ".join(c.value for c in ResolutionCode)
        raise ComplaintInvalid("resolution_code", f"{code!r} is not one of {known}") from None
    return clean_note, clean_code


def check_csat(csat: int | None) -> None:
    if csat is not None and (isinstance(csat, bool) or csat not in range(1, 6)):
        raise ComplaintInvalid("csat", "must be 1 to 5, or left out if the customer did not say")


def check_call_uid(call_uid: str) -> str:
    uid = call_uid.strip() if isinstance(call_uid, str) else ""
    if not uid or len(uid) > 64:
        raise ComplaintInvalid("call", "is not a call id")
    return uid
