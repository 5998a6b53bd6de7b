from .activities import Activity
from .clients import Client, ContactPerson, MarketSegment
from .deals import Deal, DealPayment, DealProduct, DealStageChange, LostReason, StageProbability
from .history import ChangeLog, OwnershipChange
from .imports import ImportJob
from .products import Brand, Product, ProductCategory
from .sales import SaleLine
from .users import Role, Team, User

__all__ = [
    "Activity",
    "Brand",
    "ChangeLog",
    "Client",
    "ContactPerson",
    "Deal",
    "DealPayment",
    "DealProduct",
    "DealStageChange",
    "ImportJob",
    "LostReason",
    "MarketSegment",
    "OwnershipChange",
    "Product",
    "ProductCategory",
    "Role",
    "SaleLine",
    "StageProbability",
    "Team",
    "User",
]
