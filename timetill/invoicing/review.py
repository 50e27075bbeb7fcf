"""Lines to review: a manager accepts a line with a forgotten check-out as it is, with a reason, audited."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from timetill.errors import Conflict, NotFound, TimetillError
from timetill.invoicing.models import Invoice, InvoiceLine, ReviewAcceptance
from timetill.invoicing.run import fingerprint_of
from timetill.invoicing.stays import micros
from timetill.text import is_plain_text
from timetill.timelines.actors import Actor

MAX_REASON = 500


def current_fingerprint(line: InvoiceLine) -> str:
    return fingerprint_of(
        [
            (
                flag.time_line_id,
                flag.problem,
                None if flag.time_line.end is None else micros(flag.time_line.end),
            )
            for flag in line.flagged_stays.select_related("time_line")
        ]
    )


@transaction.atomic
def accept_line(*, line_id: int, reason: str, actor: Actor, at: datetime) -> InvoiceLine:
    """Bill a line to review as it is. The acceptance names the stays it looked at: if one is corrected
    later, the refreshed line is priced again and the acceptance no longer applies."""
    actor.require("manage_invoicing")
    reason = (reason or "").strip()
    if not reason:
        raise TimetillError(
            "reason_required",
            _("Say why the line is billed as it is: the reason is kept in the audit trail."),
        )
    if len(reason) > MAX_REASON or not is_plain_text(reason):
        raise TimetillError(
            "invalid_reason", _("A reason is at most %(n)d printable characters.") % {"n": MAX_REASON}
        )
    line = InvoiceLine.objects.select_for_update().select_related("invoice").filter(pk=line_id).first()
    if line is None:
        raise NotFound("unknown_line", _("There is no invoice line %(id)s.") % {"id": line_id})
    if line.invoice.state != Invoice.State.DRAFT:
        raise Conflict("invoice_issued", _("This invoice is issued: it cannot change."))
    if not line.to_review:
        raise TimetillError("nothing_to_review", _("This line has nothing to review."))
    if line.reviewed_id is not None:
        return line
    acceptance = ReviewAcceptance.objects.create(
        child_id=line.child_id,
        product_id=line.product_id,
        period_start=line.period_start,
        stays=current_fingerprint(line),
        reason=reason,
        user=actor.user,
        at=at,
    )
    # Every payer's share of the same child, product and period is accepted at once.
    InvoiceLine.objects.filter(
        invoice__state=Invoice.State.DRAFT,
        kind=line.kind,
        child_id=line.child_id,
        product_id=line.product_id,
        period_start=line.period_start,
    ).update(reviewed=acceptance)
    line.refresh_from_db()
    return line
