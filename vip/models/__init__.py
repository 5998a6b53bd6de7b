from .after import QuestionnaireOffer, Referral
from .contacts import ContactCheck
from .problems import Problem, ProblemEvent, VipNotification
from .programme import Campaign, ProgrammeClient, StaffAssignment, VipCallScript
from .questionnaires import Answer, Question, Questionnaire, QuestionnaireTemplate

__all__ = [
    "Answer",
    "Campaign",
    "ContactCheck",
    "Problem",
    "ProblemEvent",
    "ProgrammeClient",
    "Question",
    "Questionnaire",
    "QuestionnaireOffer",
    "QuestionnaireTemplate",
    "Referral",
    "StaffAssignment",
    "VipCallScript",
    "VipNotification",
]
