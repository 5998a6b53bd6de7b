from datetime import date, datetime, time
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from crm.models import (
    Activity,
    Brand,
    Client,
    ContactPerson,
    Deal,
    DealStageChange,
    LostReason,
    MarketSegment,
    Product,
    ProductCategory,
    Role,
    SaleLine,
    Team,
    User,
)
from crm.rules.stages import Stage

KNOWN_GOOD_INNS = ["7707083893", "7736207543", "7710140679", "7728168971", "7702070139", "5408131553"]


def make_inn(n: int) -> str:
    """A valid 10-digit company INN derived from n (check digit computed as the tax service does)."""
    digits = [int(c) for c in f"{77:02d}{n % 10**7:07d}"]
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Группа {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="ru_RU")
    last_name = factory.Faker("last_name", locale="ru_RU")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.ru")
    role = Role.MANAGER
    password = factory.PostGenerationMethodCall("set_password", "pass12345")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SegmentFactory(DjangoModelFactory):
    class Meta:
        model = MarketSegment
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Сегмент {n}")


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Faker("company", locale="ru_RU")
    normalized_name = factory.LazyAttribute(lambda c: c.name.lower())
    inn = factory.Sequence(make_inn)
    phone = factory.Sequence(lambda n: f"+7495{n % 10**7:07d}")
    email = factory.Sequence(lambda n: f"client{n}@example.ru")
    address = factory.Faker("address", locale="ru_RU")
    region = "Москва"
    source = Client.Source.COLD
    owner = factory.SubFactory(UserFactory)
    owned_since = date(2026, 1, 1)
    status = Client.Status.ACTIVE


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = ContactPerson

    client = factory.SubFactory(ClientFactory)
    full_name = factory.Faker("name", locale="ru_RU")
    position = "Директор"
    decision_role = ContactPerson.DecisionRole.DECISION_MAKER


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Категория {n}")


class BrandFactory(DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Бренд {n}")


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Товар {n}")
    category = factory.SubFactory(CategoryFactory)
    brand = factory.SubFactory(BrandFactory)
    price = Decimal("1000.00")


class SaleLineFactory(DjangoModelFactory):
    class Meta:
        model = SaleLine

    date = date(2026, 3, 15)
    document_number = factory.Sequence(lambda n: f"РН-{n:06d}")
    line_no = 1
    client = factory.SubFactory(ClientFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = Decimal("1")
    amount = Decimal("10000.00")
    is_paid = True
    paid_date = factory.LazyAttribute(lambda s: s.date if s.is_paid else None)
    manager = factory.LazyAttribute(lambda s: s.client.owner)


class DealFactory(DjangoModelFactory):
    class Meta:
        model = Deal

    client = factory.SubFactory(ClientFactory)
    owner = factory.LazyAttribute(lambda d: d.client.owner)
    title = factory.Sequence(lambda n: f"Сделка {n}")
    stage = Stage.GOAL
    amount = Decimal("100000.00")


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    kind = Activity.Kind.CALL
    client = factory.SubFactory(ClientFactory)
    owner = factory.LazyAttribute(lambda a: a.client.owner)
    subject = "Звонок"
    done_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)


class LostReasonFactory(DjangoModelFactory):
    class Meta:
        model = LostReason
        django_get_or_create = ("name",)

    name = "Цена"


def concluded_deal(client, *, on: date, owner=None, stage: str = Stage.PAYMENT) -> Deal:
    """A deal of `client` that moved past `contract` on the day `on` (its stage history says so)."""
    deal = DealFactory(client=client, owner=owner or client.owner, stage=stage)
    at = timezone.make_aware(datetime.combine(on, time(12, 0)))
    DealStageChange.objects.create(deal=deal, from_stage=Stage.CONTRACT, to_stage=Stage.PAYMENT, at=at)
    return deal
