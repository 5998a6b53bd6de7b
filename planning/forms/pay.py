"""The head's pay forms: a role's scheme (fixed, soft, KPIs, thresholds) and the month's KPI results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crm.forms.people import add_service_errors
from crm.models import User
from planning.models import PayKpi, PayScheme
from planning.rules.pay import DEFAULT_THRESHOLDS, KpiInput, Threshold, validate_scheme
from planning.selectors.pay import pay_limits


class PaySchemeForm(forms.Form):
    fixed = forms.DecimalField(label=_("Fixed salary, ₽"), max_digits=16, decimal_places=2, min_value=0)
    soft = forms.DecimalField(
        label=_("Soft part when every KPI is met, ₽"), max_digits=16, decimal_places=2, min_value=0
    )


class KpiForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("KPI"), max_length=200, required=False)
    weight = forms.IntegerField(label=_("Weight, per cent"), required=False, min_value=1, max_value=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and data.get("weight") is None and "weight" not in self.errors:
            self.add_error("weight", _("Give this KPI a weight."))
        if data.get("weight") is not None and not data.get("name"):
            self.add_error("name", _("Give this KPI a name."))
        return data

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("name") and self.cleaned_data.get("weight") is None


class ThresholdForm(forms.Form):
    percent = forms.IntegerField(label=_("From, per cent of plan"), required=False, min_value=1, max_value=300)
    rate = forms.DecimalField(
        label=_("Bonus rate, per cent of sales"), required=False, max_digits=5, decimal_places=2, min_value=0
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("percent") is not None and data.get("rate") is None and "rate" not in self.errors:
            self.add_error("rate", _("Give this threshold a rate."))
        if data.get("rate") is not None and data.get("percent") is None and "percent" not in self.errors:
            self.add_error("percent", _("Give this rate a threshold."))
        return data

    def is_blank(self) -> bool:
        return self.cleaned_data.get("percent") is None and self.cleaned_data.get("rate") is None


class PaySchemeForms:
    """One role's scheme form with its KPI and threshold rows; blank rows are ignored, the rules checked together."""

    def __init__(self, data: Any = None, *, scheme: PayScheme | None) -> None:
        self.limits = limits = pay_limits()
        # As many rows as the head's limits allow (blank rows are ignored); a few more are accepted and refused
        # by the rules with a message, rather than cut off silently.
        kpi_formset = forms.formset_factory(KpiForm, extra=0, max_num=limits.kpis_max + 5)
        threshold_formset = forms.formset_factory(ThresholdForm, extra=0, max_num=limits.thresholds_max + 5)
        kpis = list(scheme.kpis.all()) if scheme else []
        thresholds = (
            [(t.fulfilment_percent, t.rate) for t in scheme.thresholds.all()] if scheme else list(DEFAULT_THRESHOLDS)
        )
        self.form = PaySchemeForm(
            data, initial={"fixed": scheme.fixed if scheme else None, "soft": scheme.soft if scheme else None}
        )
        kpi_rows = [{"id": k.pk, "name": k.name, "weight": k.weight} for k in kpis]
        kpi_rows += [{}] * (limits.kpis_max - len(kpi_rows))
        threshold_rows = [{"percent": p, "rate": r} for p, r in thresholds]
        threshold_rows += [{}] * (limits.thresholds_max - len(threshold_rows))
        self.kpis = kpi_formset(data, prefix="kpi", initial=kpi_rows if data is None else None)
        self.thresholds = threshold_formset(data, prefix="threshold", initial=threshold_rows if data is None else None)
        self.kpi_errors: list[str] = []
        self.threshold_errors: list[str] = []

    def is_valid(self) -> bool:
        rows_valid = all([self.form.is_valid(), self.kpis.is_valid(), self.thresholds.is_valid()])
        if not rows_valid:
            return False
        try:
            validate_scheme(**self.cleaned_data(), limits=self.limits)
        except ValidationError as exc:
            self.add_errors(exc)
            return False
        return True

    def cleaned_data(self) -> dict[str, Any]:
        kpis = [
            KpiInput(name=f.cleaned_data["name"], weight=f.cleaned_data["weight"], id=f.cleaned_data.get("id"))
            for f in self.kpis.forms
            if f.cleaned_data and not f.is_blank()
        ]
        thresholds = [
            Threshold(f.cleaned_data["percent"], Decimal(f.cleaned_data["rate"]))
            for f in self.thresholds.forms
            if f.cleaned_data and not f.is_blank()
        ]
        return {
            "fixed": self.form.cleaned_data["fixed"],
            "soft": self.form.cleaned_data["soft"],
            "kpis": kpis,
            "thresholds": thresholds,
        }

    def add_errors(self, exc: ValidationError) -> None:
        """A service's errors: KPI and threshold rules above their tables, the rest on the scheme form."""
        if not hasattr(exc, "error_dict"):
            self.form.add_error(None, exc.messages)
            return
        errors = exc.message_dict
        self.kpi_errors += errors.pop("kpis", [])
        self.threshold_errors += errors.pop("thresholds", [])
        if errors:
            add_service_errors(self.form, ValidationError(errors))

    @property
    def has_errors(self) -> bool:
        return bool(
            self.form.errors
            or self.kpi_errors
            or self.threshold_errors
            or any(f.errors for f in [*self.kpis.forms, *self.thresholds.forms])
            or self.kpis.non_form_errors()
            or self.thresholds.non_form_errors()
        )


def result_field_name(manager_id: int, kpi_id: int) -> str:
    return f"r_{manager_id}_{kpi_id}"


class KpiResultsForm(forms.Form):
    """One field per manager and KPI of his role's scheme (0-100 per cent; empty = not entered)."""

    def __init__(
        self,
        data: Any = None,
        *,
        managers: list[User],
        kpis_by_role: dict[str, list[PayKpi]],
        achieved: dict[tuple[int, int], int],
    ) -> None:
        super().__init__(data)
        self.rows: list[tuple[User, list[forms.BoundField]]] = []
        for manager in managers:
            names = []
            for kpi in kpis_by_role.get(manager.role, []):
                name = result_field_name(manager.pk, kpi.pk)
                self.fields[name] = forms.IntegerField(
                    label=kpi.name,
                    required=False,
                    min_value=0,
                    max_value=100,
                    initial=achieved.get((manager.pk, kpi.pk)),
                )
                self.fields[name].key = (manager.pk, kpi.pk)  # type: ignore[attr-defined]
                names.append(name)
            self.rows.append((manager, [self[n] for n in names]))

    def results(self) -> dict[tuple[int, int], int | None]:
        return {field.key: self.cleaned_data.get(name) for name, field in self.fields.items()}  # type: ignore[attr-defined]
