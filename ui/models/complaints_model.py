"""Table models of the complaints area.

* `CasesModel`: the open cases (or the breaches) as a paged model. It knows the total at once and
  loads pages of 100 on the DB worker as the view asks for rows; rows not loaded yet show a
  placeholder. `refresh()` re-reads the loaded rows (the clocks are live) and keeps the selection.
* `RowsModel` and its subclasses: small bounded lists of one case or one report (timeline,
  compensation, referrals, root-cause trend, returns by product).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from ui.format import fmt
from ui.qtcompat import emit
from ui.tasks import Jobs
from ui.views.complaint_common import (
    Complaints,
    clock_colour,
    compensation_kind_labels,
    day,
    event_labels,
    label,
    money,
    state_labels,
    status_colour,
    time_left_text,
    type_labels,
    when,
)

Index = QModelIndex | QPersistentModelIndex
ItemRole = Qt.ItemDataRole.UserRole  # the row's dataclass
IdRole = Qt.ItemDataRole.UserRole + 1
PLACEHOLDER = "…"
DISPLAY_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: Callable[[Any], str]


# -- the paged list of cases ------------------------------------------------------------------------

def _case_columns() -> list[Column]:
    states, types = state_labels(short=True), type_labels(short=True)

    def next_deadline(r: Any) -> str:
        d = r.clock.next_deadline
        return f"{d.clock.label}, {day(d.due)}" if d is not None else ""

    # Time left sits beside the client: it is what the list is for, and it must never scroll away.
    return [
        Column("reference", Complaints.tr("Reference"), lambda r: r.reference),
        Column("client", Complaints.tr("Client"), lambda r: r.client_name),
        Column("left", Complaints.tr("Time left"), lambda r: time_left_text(r.clock.time_left, r.clock.state.value)),
        Column("deadline", Complaints.tr("Next deadline"), next_deadline),
        Column("state", Complaints.tr("State"), lambda r: label(states, r.state)),
        Column("type", Complaints.tr("Type"), lambda r: label(types, r.complaint_type)),
        Column("received", Complaints.tr("Received"), lambda r: day(r.received_at)),
    ]


class CasesModel(QAbstractTableModel):
    """Case summaries from `source(offset, limit) -> CasePage`, which runs on the DB worker."""

    PAGE = 100
    loaded = Signal()  # a (re)load or refresh finished
    failed = Signal(str)

    def __init__(self, jobs: Jobs, source: Callable[[int, int], Any] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = jobs
        self._source = source
        self._cols = _case_columns()
        self._rows: list[Any | None] = []
        self._pending: set[int] = set()
        self._generation = 0
        self.loading = False
        self.ready = False  # the first page has arrived

    # -- loading ------------------------------------------------------------------------------------
    def set_source(self, source: Callable[[int, int], Any]) -> None:
        self._source = source
        self.reload()

    def reload(self) -> None:
        """Start again from the first page (a new filter or order)."""
        if self._source is None:
            return
        self._generation += 1
        self._pending = {0}
        self.loading = True
        gen = self._generation
        self._jobs.run(self._source, 0, self.PAGE, label=Complaints.tr("Reading complaints"),
                       on_done=lambda page: self._first_page(gen, page),
                       on_error=lambda exc: self._failed(gen, exc))

    def refresh(self) -> None:
        """Re-read every loaded row (the clocks move); keeps the rows on screen until the answer comes."""
        if self._source is None or self.loading:
            return
        extent = max((i + 1 for i, r in enumerate(self._rows) if r is not None), default=0)
        if extent == 0:
            self.reload()
            return
        self._generation += 1
        gen = self._generation
        self.loading = True
        self._jobs.run(self._source, 0, extent, label=Complaints.tr("Updating complaint clocks"),
                       on_done=lambda page: self._refreshed(gen, page),
                       on_error=lambda exc: self._failed(gen, exc))

    def _arrived(self, gen: int) -> bool:
        """A whole-list answer came: False if it is stale (a newer load started since), else not loading."""
        if gen != self._generation:
            return False
        self.loading = False
        self._pending = set()
        return True

    def _reset_to(self, page: Any) -> None:
        """`page.total` rows, the first ones from `page`, the rest to fetch when shown."""
        self.beginResetModel()
        self._rows = [None] * page.total
        self._rows[: len(page.rows)] = list(page.rows)
        self.endResetModel()

    def _first_page(self, gen: int, page: Any) -> None:
        if not self._arrived(gen):
            return
        self.ready = True
        self._reset_to(page)
        emit(self.loaded)

    def _refreshed(self, gen: int, page: Any) -> None:
        if not self._arrived(gen):
            return
        fresh = list(page.rows)
        if page.total != len(self._rows):
            self._reset_to(page)
        else:
            emit(self.layoutAboutToBeChanged)
            old = self.persistentIndexList()
            ids = [self._id_at(i.row()) for i in old]
            self._rows[: len(fresh)] = fresh
            for i in range(len(fresh), len(self._rows)):
                self._rows[i] = None  # beyond what was loaded: read again when shown
            position = {r.id: n for n, r in enumerate(self._rows) if r is not None}
            self.changePersistentIndexList(old, [
                self.index(position[cid], i.column()) if cid in position else QModelIndex()
                for i, cid in zip(old, ids, strict=True)])
            emit(self.layoutChanged)
        emit(self.loaded)

    def _fetch_page(self, page_no: int) -> None:
        if page_no in self._pending or self._source is None or self.loading:
            return
        self._pending.add(page_no)
        gen = self._generation
        self._jobs.run(self._source, page_no * self.PAGE, self.PAGE, label=Complaints.tr("Reading complaints"),
                       on_done=lambda page: self._page(gen, page_no, page),
                       on_error=lambda exc: self._failed(gen, exc))

    def _page(self, gen: int, page_no: int, page: Any) -> None:
        if gen != self._generation:
            return
        self._pending.discard(page_no)
        if page.total != len(self._rows):  # the list changed under us: start again
            self.reload()
            return
        start = page_no * self.PAGE
        rows = list(page.rows)
        self._rows[start:start + len(rows)] = rows
        if rows:
            emit(self.dataChanged, self.index(start, 0), self.index(start + len(rows) - 1, len(self._cols) - 1))

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._generation:
            return
        self.loading = False
        self._pending = set()
        from ui.views.complaint_common import message_of

        emit(self.failed, message_of(exc))

    # -- reading -------------------------------------------------------------------------------------
    def _id_at(self, row: int) -> str | None:
        r = self._rows[row] if 0 <= row < len(self._rows) else None
        return r.id if r is not None else None

    def case_at(self, row: int) -> Any | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_case(self, case_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r is not None and r.id == case_id), -1)

    def loaded_cases(self) -> list[Any]:
        return [r for r in self._rows if r is not None]

    def column_key(self, column: int) -> str:
        return self._cols[column].key

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self._cols) if c.key == key)

    # -- Qt API ------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._cols)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._cols) and role in DISPLAY_ROLES:
            return self._cols[section].title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(self._cols):
            return None
        r = self._rows[index.row()]
        if r is None:
            if role in DISPLAY_ROLES:
                self._fetch_page(index.row() // self.PAGE)
                return PLACEHOLDER
            return None
        col = self._cols[index.column()]
        state = r.clock.state.value
        if role in DISPLAY_ROLES:
            return col.text(r)
        if role == ItemRole:
            return r
        if role == IdRole:
            return r.id
        if role == Qt.ItemDataRole.ForegroundRole and col.key in ("left", "deadline"):
            return clock_colour(state)
        if role == Qt.ItemDataRole.FontRole and state == "breached" and col.key in ("left", "reference"):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and col.key == "received":
            return when(r.received_at)
        if role == Qt.ItemDataRole.ToolTipRole and col.key in ("left", "deadline"):
            d = r.clock.next_deadline
            if d is None:
                return Complaints.tr("Every deadline on this case has been met.")
            extra = {"breached": Complaints.tr("The deadline has passed."),
                     "warning": Complaints.tr("At least 75% of the time to this deadline has gone.")}.get(state, "")
            return f"{d.clock.label}: {when(d.due)}. {extra}".strip()
        return None


# -- small bounded lists ------------------------------------------------------------------------------

class RowsModel(QAbstractTableModel):
    """Rows of frozen service dataclasses; subclasses declare `columns()` and may add `extra()`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._cols = self.columns()

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def extra(self, row: Any, column: Column, role: int) -> Any:
        return None

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self._cols) if c.key == key)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._cols)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._cols) and role in DISPLAY_ROLES:
            return self._cols[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(self._cols):
            return None
        row, col = self._rows[index.row()], self._cols[index.column()]
        if role in DISPLAY_ROLES:
            return col.text(row)
        if role == ItemRole:
            return row
        return self.extra(row, col, role)


def _amount_text(amount: Any) -> str:
    """An event's amount (stored as text, without its currency) in the user's number format: 1.234,50."""
    try:
        return fmt().number(Decimal(str(amount)), 2)
    except InvalidOperation:
        return str(amount)


def _event_detail(e: Any) -> str:
    data, parts = e.data or {}, []
    if e.kind == "escalate" and data.get("to_name"):
        parts.append(Complaints.tr("to {name}").format(name=data["to_name"]))
    if data.get("outcome"):
        parts.append(label({"upheld": Complaints.tr("upheld"), "partly_upheld": Complaints.tr("partly upheld"),
                            "not_upheld": Complaints.tr("not upheld"), "withdrawn": Complaints.tr("withdrawn")}, data["outcome"]))
    if e.kind.startswith("comp_") and data.get("amount"):
        parts.append(_amount_text(data["amount"]))
        if data.get("needs_approval"):
            parts.append(Complaints.tr("needs approval"))
        if data.get("approved_by_name"):
            parts.append(Complaints.tr("approved by {name}").format(name=data["approved_by_name"]))
    if e.kind == "referral" and data.get("department"):
        parts.append(data["department"])
    if e.kind == "referral_update":
        parts.append(f"{data.get('department', '')}: {data.get('to', '').replace('_', ' ')}")
    if e.kind == "contact":
        parts.append(f"{data.get('channel', '').replace('_', ' ')}, {data.get('direction', '')}")
    if e.kind == "root_cause":
        parts.append(data.get("label", ""))
        if data.get("recurring"):
            parts.append(Complaints.tr("systemic issue?"))
    if e.kind == "satisfaction" and data.get("score") is not None:
        parts.append(Complaints.tr("{score} of 5").format(score=data["score"]))
    if e.kind == "letter" and data.get("letter"):
        parts.append(data["letter"].replace("_", " "))
    if e.note:
        parts.append(e.note)
    return " · ".join(p for p in parts if p)


class EventsModel(RowsModel):
    """The case timeline: insert-only events, oldest first."""

    def columns(self) -> list[Column]:
        names = event_labels()
        return [Column("at", Complaints.tr("When"), lambda e: when(e.at)),
                Column("kind", Complaints.tr("Event"), lambda e: label(names, e.kind)),
                Column("actor", Complaints.tr("By"), lambda e: e.actor),
                Column("detail", Complaints.tr("Details"), _event_detail)]

    def extra(self, row: Any, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column.key == "detail":
            return _event_detail(row)
        return None


class CompensationModel(RowsModel):
    def columns(self) -> list[Column]:
        kinds = compensation_kind_labels()
        statuses = {"proposed": Complaints.tr("Needs approval"), "approved": Complaints.tr("Approved"), "rejected": Complaints.tr("Rejected"),
                    "paid": Complaints.tr("Paid")}
        return [Column("amount", Complaints.tr("Amount"), lambda c: money(c.amount, c.currency)),
                Column("kind", Complaints.tr("Kind"), lambda c: label(kinds, c.kind)),
                Column("status", Complaints.tr("Status"), lambda c: label(statuses, c.status)),
                Column("proposed", Complaints.tr("Proposed by"), lambda c: f"{c.proposed_by}, {when(c.proposed_at)}"),
                Column("approved", Complaints.tr("Approved by"),
                       lambda c: f"{c.approved_by}, {when(c.approved_at)}" if c.approved_by else ""),
                Column("note", Complaints.tr("Note"), lambda c: c.note or "")]

    def extra(self, row: Any, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "status" and row.needs_approval:
            return status_colour("warn")
        if role == Qt.ItemDataRole.TextAlignmentRole and column.key == "amount":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReferralsModel(RowsModel):
    def columns(self) -> list[Column]:
        statuses = {"open": Complaints.tr("Open"), "in_progress": Complaints.tr("In progress"), "done": Complaints.tr("Done"),
                    "cancelled": Complaints.tr("Cancelled")}
        return [Column("department", Complaints.tr("Department"), lambda r: r.department),
                Column("owner", Complaints.tr("Owner"), lambda r: r.owner_name or ""),
                Column("due", Complaints.tr("Due"), lambda r: day(r.due_on)
                       + (Complaints.tr(" (overdue)") if r.overdue else "")),
                Column("status", Complaints.tr("Status"), lambda r: label(statuses, r.status)),
                Column("reason", Complaints.tr("Asked to"), lambda r: r.reason)]

    def extra(self, row: Any, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "due" and row.overdue:
            return status_colour("error")
        return None


class TrendModel(RowsModel):
    """Root causes by month of receipt: one row per cause; its total, then one column per month, newest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        self._months: tuple = ()
        super().__init__(parent)

    def columns(self) -> list[Column]:
        # The total and the latest months first: what management looks at without scrolling.
        cols = [Column("cause", Complaints.tr("Root cause"), lambda t: t.label),
                Column("total", Complaints.tr("Total"), lambda t: fmt().number(t.total))]
        for i in reversed(range(len(self._months))):
            cols.append(Column(f"m{i}", fmt().month_year(self._months[i], short=True),
                               lambda t, i=i: fmt().number(t.counts[i]) if t.counts[i] else "·"))
        return cols

    def set_trend(self, trend: Any) -> None:
        self.beginResetModel()
        self._months = tuple(trend.months)
        self._cols = self.columns()
        self._rows = list(trend.series)
        self.endResetModel()

    def extra(self, row: Any, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column.key != "cause":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ProductModel(RowsModel):
    def __init__(self, currency: str = "", parent: QObject | None = None) -> None:
        self.currency = currency
        super().__init__(parent)

    def columns(self) -> list[Column]:
        return [Column("product", Complaints.tr("Product"), lambda p: p.product),
                Column("received", Complaints.tr("Received"), lambda p: fmt().number(p.received)),
                Column("closed", Complaints.tr("Closed"), lambda p: fmt().number(p.closed)),
                Column("upheld", Complaints.tr("Upheld"), lambda p: fmt().number(p.upheld)),
                Column("paid", Complaints.tr("Redress paid"), lambda p: money(p.redress_paid, self.currency))]

    def extra(self, row: Any, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column.key != "product":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
