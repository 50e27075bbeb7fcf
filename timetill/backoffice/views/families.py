"""Families and guardians: each family's payers and whether they log in, and inviting one by e-mail to the
family page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from timetill.accounts import users as people
from timetill.backoffice.access import family_invites_required
from timetill.backoffice.family_invites import invite_payer, suggested_username
from timetill.backoffice.forms import FamilyInviteForm
from timetill.customers.models import Guardian
from timetill.errors import TimetillError
from timetill.invoicing.models import Family, Payer


@family_invites_required
def family_list(request: HttpRequest) -> HttpResponse:
    families = Family.objects.select_related("site").prefetch_related("payers__user", "children__customer")
    guardians = set(Guardian.objects.values_list("user_id", "customer_id"))
    rows = []
    for family in families.order_by("site__name", "name"):
        children = [child.customer for child in family.children.all()]
        payers = [
            {
                "payer": payer,
                "user": payer.user,
                # Whether they are the guardian of every child (what checking in from a phone needs).
                "guardian": payer.user is not None
                and all((payer.user_id, child.pk) in guardians for child in children),
            }
            for payer in family.payers.all()
        ]
        rows.append({"family": family, "children": children, "payers": payers})
    context = {"page": "backoffice", "rows": rows}
    return render(request, "backoffice/families.html", context)


@family_invites_required
def payer_invite(request: HttpRequest, pk: int) -> HttpResponse:
    payer = get_object_or_404(Payer.objects.select_related("family__site", "user"), pk=pk)
    initial = {
        "username": suggested_username(payer),
        "email": payer.user.email if payer.user else payer.email,
    }
    form = FamilyInviteForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = invite_payer(
                    by=request.user,
                    payer=payer,
                    username=payer.user.get_username() if payer.user else form.cleaned_data["username"],
                    email=form.cleaned_data["email"],
                    base_url=request.build_absolute_uri("/"),
                    at=timezone.now(),
                )
            except people.UserError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            except TimetillError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(payer)s was invited: a link to choose a password went to %(email)s.")
                    % {"payer": payer.name, "email": user.email},
                )
                return redirect("bo-families")
    context = {"page": "backoffice", "payer": payer, "family": payer.family, "form": form}
    return render(request, "backoffice/family_invite.html", context, status=status)
