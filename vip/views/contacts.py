"""Key persons and contacts on the questionnaire page (htmx, like the answers): the client's contact persons with
confirm / update / mark gone / add new, each through crm's contact services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from crm.forms.people import add_service_errors
from crm.models import ContactPerson
from vip.forms.contacts import KeyPersonForm
from vip.services.contacts import contact_add, contact_change, contact_confirm, contact_gone
from vip.views.access import QuestionnairePageMixin
from vip.views.contacts_block import contacts_context
from vip.views.questionnaires import detail_context, questionnaire_url, visible_questionnaire


class ContactActionView(QuestionnairePageMixin, View):
    """POST confirm / update / gone on a person of the client's card, or add a new one."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str, contact_id: int | None = None) -> HttpResponse:
        questionnaire = visible_questionnaire(request, pk)
        user = self.user
        contact = None
        if contact_id is not None:
            contacts = ContactPerson.objects.visible_to(user).filter(client_id=questionnaire.client_id)
            contact = get_object_or_404(contacts, pk=contact_id)
        forms: dict[int, KeyPersonForm] = {}
        add_form: KeyPersonForm | None = None
        error = ""
        done = ""
        try:
            if action == "confirm" and contact is not None:
                contact_confirm(questionnaire=questionnaire, contact=contact, by=user)
                done = _("Confirmed: %(name)s.") % {"name": contact.full_name}
            elif action == "gone" and contact is not None:
                name = contact.full_name
                contact_gone(questionnaire=questionnaire, contact=contact, by=user)
                done = _("%(name)s is removed from the client's card.") % {"name": name}
            elif action == "update" and contact is not None:
                form = KeyPersonForm(request.POST, prefix=f"c{contact.pk}")
                forms[contact.pk] = form
                if form.is_valid():
                    try:
                        contact_change(questionnaire=questionnaire, contact=contact, by=user, data=form.cleaned_data)
                    except ValidationError as exc:
                        add_service_errors(form, exc)
                    else:
                        forms.clear()
                        done = _("Saved on the client's card: %(name)s.") % {"name": contact.full_name}
            elif action == "add" and contact is None:
                add_form = KeyPersonForm(request.POST, prefix="new")
                if add_form.is_valid():
                    try:
                        added = contact_add(questionnaire=questionnaire, by=user, data=add_form.cleaned_data)
                    except ValidationError as exc:
                        add_service_errors(add_form, exc)
                    else:
                        add_form = None
                        done = _("Added to the client's card: %(name)s.") % {"name": added.full_name}
            else:
                raise Http404
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied as exc:
            error = str(exc) or _("You may not change this client.")
        failed = bool(error) or any(f.errors for f in forms.values()) or bool(add_form and add_form.errors)
        if request.headers.get("HX-Request"):
            # htmx swaps no 4xx by default: the block answers 200 with the field messages, as the answers do.
            context = contacts_context(questionnaire, user, forms=forms, add_form=add_form, error=error)
            context["contacts_done"] = done
            return TemplateResponse(request, "vip/_contacts.html", context)
        if not failed:
            messages.success(request, done)
            return redirect(f"{questionnaire_url(questionnaire)}#vip-contacts")
        context = detail_context(request, pk)
        context.update(contacts_context(questionnaire, user, forms=forms, add_form=add_form, error=error))
        return TemplateResponse(request, "vip/questionnaire_detail.html", context, status=400)
