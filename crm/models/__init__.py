from .activities import Activity
from .clients import Client, ContactPerson, MarketSegment
from .deals import Deal, DealPayment, DealProduct, DealStageChange, LostReason, StageProbability
from .history import ChangeLog, OwnershipChange
from .imports import ImportJob
from .products import Brand, Product, ProductCategory
from .prospects import (
    ColdCallNorm,
    LongList,
    LongListEntry,
    ProspectEntry,
    ProspectList,
    Reassignment,
)
from .sales import SaleLine
from .settings import DepartmentSettings, WorkingDayOverride
from .stock import StockRequest
from .sync import Tombstone
from .users import Role, Team, User
from .wallet import ClientCategoryPurchase
from .webhooks import Webhook, WebhookDelivery, WebhookEvent

__all__ = [
    "Activity",
    "Brand",
    "ChangeLog",
    "Client",
    "ClientCategoryPurchase",
    "ColdCallNorm",
    "ContactPerson",
    "Deal",
    "DealPayment",
    "DealProduct",
    "DealStageChange",
    "DepartmentSettings",
    "ImportJob",
    "LongList",
    "LongListEntry",
    "LostReason",
    "MarketSegment",
    "OwnershipChange",
    "Product",
    "ProductCategory",
    "ProspectEntry",
    "ProspectList",
    "Reassignment",
    "Role",
    "SaleLine",
    "StageProbability",
    "StockRequest",
    "Team",
    "Tombstone",
    "User",
    "Webhook",
    "WebhookDelivery",
    "WebhookEvent",
    "WorkingDayOverride",
]
