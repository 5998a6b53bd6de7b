"""The generator's deals: stages with their history and completion data, products, payments, activities."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crm.demo.tables import Table, money
from crm.demo.vocabulary import (
    CALL_SUBJECTS,
    COMPLEMENTS,
    MEETING_SUBJECTS,
    NEEDS,
    PAYMENT_TERMS,
    PREP_NOTES,
    TASK_SUBJECTS,
)
from crm.models import Activity, Deal, DealPayment, DealProduct, DealStageChange, LostReason, StageProbability
from crm.rules.stages import ACTIVE_STAGES, DEFAULT_PROBABILITY, ORDER, PIPELINE, Stage

# Share of deals per stage once every stage has one deal: a funnel that narrows, a tail of existing-client work.
STAGE_WEIGHTS: dict[str, int] = {
    Stage.GOAL: 6,
    Stage.MARKET: 4,
    Stage.PROSPECT_LIST: 4,
    Stage.SOURCE: 5,
    Stage.FIRST_CONTACT: 7,
    Stage.MEETING_PREP: 5,
    Stage.FIRST_MEETING: 6,
    Stage.PROPOSAL: 8,
    Stage.REPEAT_MEETING: 6,
    Stage.CONTRACT: 5,
    Stage.PAYMENT: 4,
    Stage.FULFILMENT: 3,
    Stage.CLOSING: 3,
    Stage.ACCOUNT: 12,
    Stage.LOST: 22,
}


class PipelineMixin:
    """Part of the generator's department (crm.demo.generator): uses its rng, now, clients and catalogue."""

    rng: Any
    now: datetime
    as_of: date
    tz: Any
    window_start: date
    n_deals: int
    clients: list[tuple[int, int | None, str, int, list[str], date | None]]
    products_by_category: dict[str, list[tuple[int, int]]]
    progress: Callable[[str], None]
    result: Any

    if TYPE_CHECKING:
        # The department's helper (crm.demo.generator), for the type checker only.
        def at(self, day: date, *, hour_from: int = 9, hour_to: int = 18) -> datetime: ...

    def deal_stages(self) -> list[str]:
        """Every stage once (so that small departments show them all), then by the funnel's weights."""
        codes = list(STAGE_WEIGHTS)
        weights = list(STAGE_WEIGHTS.values())
        stages = codes[: self.n_deals]
        stages += self.rng.choices(codes, weights=weights, k=max(0, self.n_deals - len(codes)))
        return stages

    def timeline(self, steps: int, *, finished: bool, earliest: datetime) -> list[datetime]:
        """`steps` increasing moments: the deal's creation and each stage change after it."""
        rng = self.rng
        window_days = max(1.0, (self.now - earliest).total_seconds() / 86400)
        if finished:
            end_days_ago = rng.uniform(1, max(2.0, window_days * 0.8))
        else:
            end_days_ago = rng.uniform(0.1, min(25.0, window_days * 0.5))
        gaps = [rng.uniform(1, 12) for _ in range(steps - 1)]
        room = window_days - end_days_ago
        total = sum(gaps)
        if total > room * 0.95:
            gaps = [g * room * 0.95 / total for g in gaps]
            total = sum(gaps)
        moments = [self.now - timedelta(days=end_days_ago + total)]
        for gap in gaps:
            moments.append(moments[-1] + timedelta(days=gap))
        return moments

    def make_deals(self) -> None:
        self.progress(f"deals: {self.n_deals}")
        probabilities = dict(DEFAULT_PROBABILITY)
        probabilities.update(dict(StageProbability.objects.values_list("stage", "probability")))
        reasons = list(LostReason.objects.filter(is_active=True))
        if not reasons:
            reasons = [LostReason.objects.get_or_create(name="Цена")[0]]
        deals = Table(Deal)
        lines = Table(DealProduct, parents=(deals,))
        changes = Table(DealStageChange, parents=(deals,))
        payments = Table(DealPayment, parents=(deals,))
        activities = Table(Activity, parents=(deals,))
        self.activities = activities
        owned = [c for c in self.clients if c[1] is not None]
        buyers = [c for c in owned if c[2] != "prospect"] or owned
        if not owned:
            self.n_deals = 0
        horizon = datetime.combine(self.window_start, time(9, 0), self.tz)
        for number, stage in enumerate(self.deal_stages(), start=1):
            lost = stage == Stage.LOST
            reached = self.rng.choice(PIPELINE[: ORDER[Stage.PAYMENT]]) if lost else stage
            won = ORDER[reached] > ORDER[Stage.PAYMENT]
            client_id, owner_id, _profile, level, preferred, since = self.rng.choice(buyers if won else owned)
            earliest = max(horizon, datetime.combine(since, time(9, 0), self.tz)) if since else horizon
            steps = ORDER[reached] + (1 if lost else 0)
            finished = lost or reached == Stage.ACCOUNT
            moments = self.timeline(steps, finished=finished, earliest=earliest)
            deal_id = deals.new_id()
            # Products first: they make the amount.
            amount = 0
            category = first_category = preferred[0]
            # Rows that point to the deal wait until the deal itself is queued.
            deal_lines: list[dict[str, Any]] = []
            deal_payments: list[dict[str, Any]] = []
            for _ in range(self.rng.randint(1, 4)):
                product_id, price = self.rng.choice(self.products_by_category[category])
                quantity = max(1, round(level * 100 * self.rng.uniform(0.1, 0.5) / price))
                deal_lines.append(
                    {
                        "id": lines.new_id(),
                        "deal_id": deal_id,
                        "product_id": product_id,
                        "quantity": quantity,
                        "price": money(price),
                    }
                )
                amount += price * quantity
                category = self.rng.choice(COMPLEMENTS[category])
            passed = {code for code in PIPELINE if ORDER[code] < ORDER[reached]}
            # The moment each passed stage was left (moments[0] is the creation at `goal`).
            left = {code: moments[ORDER[code]] for code in passed}
            created = moments[0]
            row: dict[str, Any] = {
                "id": deal_id,
                "client_id": client_id,
                "owner_id": owner_id,
                "title": f"Поставка: {first_category.lower()} — сделка № {number}",
                "stage": stage,
                "stage_changed_at": moments[-1],
                "amount": money(amount),
                "probability": probabilities[stage],
                "expected_close_date": (moments[-1] + timedelta(days=self.rng.randint(10, 60))).date(),
                "plan_month": left[Stage.GOAL].date().replace(day=1)
                if Stage.GOAL in passed
                else (self.as_of.replace(day=1) if self.rng.random() < 0.5 else None),
                "paid_amount": Decimal("0"),
                "lost_reason_id": None,
                "won_at": None,
                "closed_at": None,
                "created_at": created,
                "updated_at": moments[-1],
            }
            self.fill_completion(row, passed, left, amount, number)
            if Stage.PAYMENT in passed or (stage == Stage.PAYMENT and self.rng.random() < 0.4):
                row["paid_amount"] = self.add_payments(
                    deal_payments,
                    payments,
                    deal_id,
                    owner_id,
                    row,
                    full=Stage.PAYMENT in passed,
                    until=left.get(Stage.PAYMENT),
                )
            if Stage.PAYMENT in passed:
                row["won_at"] = left[Stage.PAYMENT]
            if reached == Stage.ACCOUNT:
                row["closed_at"] = moments[-1]
            if lost:
                reason = self.rng.choice(reasons)
                row.update(
                    lost_reason_id=reason.pk,
                    lost_from_stage=reached,
                    lost_note="Клиент выбрал другого поставщика." if self.rng.random() < 0.3 else "",
                    closed_at=moments[-1],
                    expected_close_date=None,
                )
            deals.add(row)
            for values in deal_lines:
                lines.add(values)
            for values in deal_payments:
                payments.add(values)
            path = PIPELINE[: ORDER[reached]] + ([Stage.LOST] if lost else [])
            previous = ""
            # Each change is left at the next one's moment (crm.models.deals.LINK_SQL, written here directly).
            for code, moment, left_at in zip(path, moments, [*moments[1 : len(path)], None], strict=True):
                changes.add(
                    {
                        "id": changes.new_id(),
                        "deal_id": deal_id,
                        "from_stage": previous,
                        "to_stage": code,
                        "is_backward": False,
                        "reason": reason.name if code == Stage.LOST else "",
                        "by_id": owner_id,
                        "at": moment,
                        "left_at": left_at,
                    }
                )
                previous = code
            self.deal_activities(activities, deal_id, client_id, owner_id, stage, passed, left, moments)
        for t in (deals, lines, changes, payments):
            t.flush()
        self.result.deals = deals.count
        self.result.deal_products = lines.count
        self.result.stage_changes = changes.count
        self.result.payments = payments.count

    def fill_completion(
        self, row: dict[str, Any], passed: set[str], left: dict[str, datetime], amount: int, number: int
    ) -> None:
        """The data each passed stage needs (crm.services.deals.GATES), filled as the manager would have."""
        rng = self.rng
        if Stage.MEETING_PREP in passed:
            row["meeting_prep_note"] = rng.choice(PREP_NOTES)
        if Stage.FIRST_MEETING in passed:
            row["needs"] = rng.choice(NEEDS)
        if Stage.PROPOSAL in passed:
            row["proposal_amount"] = money(amount)
            row["proposal_document"] = f"КП-{number:06d}.pdf"
            row["proposal_sent_on"] = left[Stage.PROPOSAL].date()
        agreed = amount * rng.randint(90, 100) // 100
        if Stage.REPEAT_MEETING in passed:
            row["agreed_amount"] = money(agreed)
            row["payment_terms"] = rng.choice(PAYMENT_TERMS)
        if Stage.CONTRACT in passed:
            signed = left[Stage.CONTRACT].date()
            row["contract_number"] = f"Д-{signed.year}/{number:06d}"
            row["contract_date"] = signed
            row["invoice_number"] = f"СЧ-{number:07d}"
            row["invoice_date"] = signed
            row["invoice_amount"] = money(agreed)
        if Stage.FULFILMENT in passed:
            row["fulfilled_on"] = left[Stage.FULFILMENT].date()
        if Stage.CLOSING in passed:
            row["closing_document_number"] = f"УПД № {number}"
            row["closing_signed_on"] = left[Stage.CLOSING].date()

    def add_payments(
        self,
        out: list[dict[str, Any]],
        payments: Table,
        deal_id: int,
        owner_id: int,
        row: dict[str, Any],
        *,
        full: bool,
        until: datetime | None,
    ) -> Decimal:
        """Payments against the invoice: in full for a paid deal, a part for one still at contract or payment."""
        invoice = int(row["invoice_amount"] * 100) if row.get("invoice_amount") else 0
        if not invoice:
            return Decimal("0")
        start = row["invoice_date"]
        end = (until or self.now).date()
        if full:
            parts = [invoice] if self.rng.random() < 0.7 else [invoice // 2, invoice - invoice // 2]
        else:
            parts = [invoice * self.rng.randint(20, 70) // 100]
        total = 0
        for number, part in enumerate(parts, start=1):
            if part <= 0:
                continue
            span = max(0, (end - start).days)
            paid_on = start + timedelta(days=min(span, self.rng.randint(0, 20) * number))
            out.append(
                {
                    "id": payments.new_id(),
                    "deal_id": deal_id,
                    "paid_on": paid_on,
                    "amount": money(part),
                    "document_number": f"п/п {self.rng.randint(100, 9999)}",
                    "by_id": owner_id,
                    "created_at": datetime.combine(paid_on, time(15, 0), self.tz),
                }
            )
            total += part
        return money(total)

    def deal_activities(
        self,
        table: Table,
        deal_id: int,
        client_id: int,
        owner_id: int,
        stage: str,
        passed: set[str],
        left: dict[str, datetime],
        moments: list[datetime],
    ) -> None:
        rng = self.rng

        def add(kind: str, subject: str, *, due: datetime | None, done: datetime | None, **extra: Any) -> None:
            created = min([x for x in (due, done) if x is not None] + [moments[-1]])
            table.add(
                {
                    "id": table.new_id(),
                    "kind": kind,
                    "client_id": client_id,
                    "deal_id": deal_id,
                    "owner_id": owner_id,
                    "subject": subject,
                    "due_at": due,
                    "done_at": done,
                    "created_at": created,
                    "updated_at": done or created,
                    **extra,
                }
            )

        if Stage.FIRST_CONTACT in passed:
            add(
                Activity.Kind.CALL,
                rng.choice(CALL_SUBJECTS),
                due=None,
                done=left[Stage.FIRST_CONTACT] - timedelta(hours=2),
                direction=Activity.Direction.OUTGOING,
                call_result=Activity.CallResult.REACHED,
                duration_seconds=rng.randint(60, 900),
            )
        if Stage.MEETING_PREP in passed or stage == Stage.MEETING_PREP:
            # Scheduled while preparing; held before the first-meeting stage is left.
            held: datetime | None
            if Stage.FIRST_MEETING in passed:
                held = left[Stage.FIRST_MEETING] - timedelta(hours=3)
                add(Activity.Kind.MEETING, rng.choice(MEETING_SUBJECTS), due=held, done=held)
            elif Stage.MEETING_PREP in passed:
                due = self.now + timedelta(days=rng.uniform(0.5, 7))
                held = self.now - timedelta(hours=rng.randint(2, 48)) if rng.random() < 0.5 else None
                add(Activity.Kind.MEETING, rng.choice(MEETING_SUBJECTS), due=held or due, done=held)
            elif rng.random() < 0.6:
                add(
                    Activity.Kind.MEETING,
                    rng.choice(MEETING_SUBJECTS),
                    due=self.now + timedelta(days=rng.uniform(1, 10)),
                    done=None,
                )
        for _ in range(rng.randint(0, 2)):
            moment = rng.choice(moments)
            add(
                Activity.Kind.CALL,
                "Звонок по сделке",
                due=None,
                done=moment,
                direction=rng.choice([Activity.Direction.OUTGOING, Activity.Direction.INCOMING]),
                call_result=rng.choice([c.value for c in Activity.CallResult]),
                duration_seconds=rng.randint(20, 600),
            )
        if stage in ACTIVE_STAGES:
            # Hygiene: most open deals have a next task, some an overdue one, some none at all.
            roll = rng.random()
            if roll < 0.65:
                add(
                    Activity.Kind.TASK,
                    rng.choice(TASK_SUBJECTS),
                    due=self.now + timedelta(days=rng.uniform(0.2, 10)),
                    done=None,
                )
            elif roll < 0.82:
                add(
                    Activity.Kind.TASK,
                    rng.choice(TASK_SUBJECTS),
                    due=self.now - timedelta(days=rng.uniform(1, 15)),
                    done=None,
                )
        if len(moments) > 1 and rng.random() < 0.5:
            done = moments[-1] - timedelta(hours=1)
            add(Activity.Kind.TASK, rng.choice(TASK_SUBJECTS), due=done, done=done)

    def make_calls(self) -> None:
        """Cold calls to prospects and routine calls to regular buyers over the last weeks."""
        table = self.activities
        rng = self.rng
        for client_id, owner_id, profile, _level, _preferred, _since in self.clients:
            if owner_id is None or profile in ("one_off", "lapsed"):
                continue
            if rng.random() > (0.5 if profile == "prospect" else 0.35):
                continue
            for _ in range(rng.randint(1, 3)):
                day = self.as_of - timedelta(days=rng.randint(1, 40))
                done = self.at(day)
                cold = profile == "prospect"
                table.add(
                    {
                        "id": table.new_id(),
                        "kind": Activity.Kind.CALL,
                        "client_id": client_id,
                        "deal_id": None,
                        "owner_id": owner_id,
                        "subject": CALL_SUBJECTS[0] if cold else CALL_SUBJECTS[1],
                        "direction": Activity.Direction.OUTGOING,
                        "call_result": rng.choice([c.value for c in Activity.CallResult]),
                        "duration_seconds": rng.randint(15, 600),
                        "due_at": None,
                        "done_at": done,
                        "created_at": done,
                        "updated_at": done,
                    }
                )
        table.flush()
        self.result.activities = table.count
