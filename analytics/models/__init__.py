from .abc import ClientAbc
from .contests import Contest, ContestParticipant
from .ltv import LtvClient
from .nps import NpsAnswer, NpsInvitation, NpsSurvey, NpsVipFollowUp
from .settings import AnalyticsSettings

__all__ = [
    "AnalyticsSettings",
    "ClientAbc",
    "Contest",
    "ContestParticipant",
    "LtvClient",
    "NpsAnswer",
    "NpsInvitation",
    "NpsSurvey",
    "NpsVipFollowUp",
]
