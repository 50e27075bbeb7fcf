"""Inviting a parent by e-mail to their family page: the payer gets a user (created, or reactivated) with the
parent role, becomes a guardian of the family's children, and receives a link to choose their password that
then opens their family's page. Every step is in the trail of changes."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from timetill.accounts import users as people
from timetill.accounts.audit import record_change
from timetill.accounts.models import HomePage
from timetill.invoicing.families import link_payer_user
from timetill.invoicing.models import Payer
from timetill.timelines.actors import Actor

User = get_user_model()


def suggested_username(payer: Payer) -> str:
    """The part of the payer's e-mail before the @, else their name without spaces."""
    if payer.user is not None:
        return payer.user.get_username()
    base = (payer.email.split("@")[0] if payer.email else payer.name).strip().lower()
    return "".join(c for c in base if c.isalnum() or c in "._-")[:150]


def invite_payer(
    *, by: AbstractBaseUser, payer: Payer, username: str, email: str, base_url: str, at: datetime
) -> AbstractBaseUser:
    """Create (or reactivate) the payer's user, link them and e-mail the link; a UserError names the field."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise people.UserError(
            "invalid_email", _("“%(email)s” is not an e-mail address.") % {"email": email[:80]}, field="email"
        ) from None
    with transaction.atomic():
        payer = (
            Payer.objects.select_for_update(of=("self",)).select_related("family", "user").get(pk=payer.pk)
        )
        user = payer.user
        created = user is None
        if user is None:
            spec = people.PersonSpec(
                username=username,
                email=email,
                first_name=payer.name[:150],
                role="parent",
                home_page=HomePage.FAMILY,
            )
            user = people.create_person(by=by, spec=spec, at=at)
        else:
            people.set_active(by=by, user=user, active=True, at=at)
            if user.email != email:
                record_change(
                    by=by, at=at, subject="user", subject_id=user.pk, label=user.get_username(),
                    action="change", old={"email": user.email}, new={"email": email},
                )  # fmt: skip
                user.email = email
                user.save(update_fields=["email"])
        link_payer_user(payer_id=payer.pk, user=user, actor=Actor.for_user(by))
        family = payer.family
        record_change(
            by=by, at=at, subject="family", subject_id=family.pk, label=family.name, action="invite_payer",
            new={"payer": payer.name, "user": user.get_username(), "email": email, "new_user": created},
        )  # fmt: skip
    people.send_invitation(
        by=by,
        user=user,
        base_url=base_url,
        at=at,
        url_name="family_invitation_confirm",
        template="registration/family_invitation_email.txt",
        subject=_("Your family's page on Timetill"),
        context={"family": family, "site": family.site},
    )
    return user
