from .contests import Contest, ContestParticipant
from .nps import NpsAnswer, NpsInvitation, NpsSurvey, NpsVipFollowUp
from .settings import AnalyticsSettings

__all__ = [
    "AnalyticsSettings",
    "Contest",
    "ContestParticipant",
    "NpsAnswer",
    "NpsInvitation",
    "NpsSurvey",
    "NpsVipFollowUp",
]
