"""The top of a complaint's window: reference and subject, status, facts, both SLA clocks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from callcenter.domain.complaints import Complaint, SlaClock, Status
from ui.complaints.clock_view import clock_view
from ui.complaints.labels import priority_label, status_label
from ui.theme import Severity, set_role, set_severity


class ComplaintHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Loading..."))
        self.title.setObjectName("complaintTitle")
        set_role(self.title, "title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # subjects are shown as typed
        self.title.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("complaintStatus")
        self.facts = _text_label("complaintFacts")
        self.calls = _text_label("complaintCalls")
        self.response_clock = QLabel()
        self.response_clock.setObjectName("complaintResponseClock")
        self.resolution_clock = QLabel()
        self.resolution_clock.setObjectName("complaintResolutionClock")
        clocks = QGridLayout()
        clocks.addWidget(QLabel(self.tr("First response:")), 0, 0)
        clocks.addWidget(self.response_clock, 0, 1)
        clocks.addWidget(QLabel(self.tr("Resolution:")), 1, 0)
        clocks.addWidget(self.resolution_clock, 1, 1)
        clocks.setColumnStretch(1, 1)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.facts)
        layout.addWidget(self.calls)
        layout.addLayout(clocks)

    def show_complaint(self, complaint: Complaint) -> None:
        self.title.setText(f"{complaint.reference}  \u00b7  {complaint.subject}")
        status = status_label(complaint.status)
        if complaint.escalation_level:
            status = self.tr("{0} \u00b7 escalation level {1}").format(
                status, complaint.escalation_level
            )
        self.status.setText(status)
        set_severity(
            self.status, Severity.WARNING if complaint.status is Status.ESCALATED else None
        )
        facts = [
            self.tr("Customer: {0}").format(complaint.customer_name),
            self.tr("Assignee: {0}").format(
                complaint.assignee_name or complaint.assignee or self.tr("nobody")
            ),
            self.tr("Priority: {0}").format(priority_label(complaint.priority)),
        ]
        if complaint.team:
            facts.append(self.tr("Team: {0}").format(complaint.team))
        if complaint.merged_into_reference:
            facts.append(self.tr("Merged into {0}").format(complaint.merged_into_reference))
        if complaint.resolution_code:
            facts.append(self.tr("Resolution: {0}").format(complaint.resolution_note or ""))
        if complaint.csat is not None:
            facts.append(self.tr("Satisfaction: {0}/5").format(complaint.csat))
        self.facts.setText("   \u00b7   ".join(facts))
        calls = [
            link.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
            if link.started_at
            else self.tr("a call not saved yet")
            for link in complaint.calls
        ]
        self.calls.setText(
            self.tr("Calls: {0}").format(", ".join(calls)) if calls else self.tr("No call linked.")
        )

    def show_clocks(self, response: SlaClock, resolution: SlaClock) -> None:
        for label, clock in ((self.response_clock, response), (self.resolution_clock, resolution)):
            view = clock_view(clock)
            label.setText(view.text)
            label.setToolTip(view.tooltip)
            set_severity(label, view.severity)


def _text_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
