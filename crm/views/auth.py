"""Logging in and out with Django's own views and a Tabler login page."""

from django.contrib.auth import views as auth_views

from crm.forms.people import LoginForm


class CrmLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class CrmLogoutView(auth_views.LogoutView):
    """POST only (Django 5); the form sits in the top bar."""
