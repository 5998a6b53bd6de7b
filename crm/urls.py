from django.urls import include, path

from crm.views import auth, home, people

urlpatterns = [
    path("login/", auth.CrmLoginView.as_view(), name="login"),
    path("logout/", auth.CrmLogoutView.as_view(), name="logout"),
    path("", home.HomeView.as_view(), name="home"),
    path("users/", people.UserListView.as_view(), name="user_list"),
    path("users/export/", people.UserExportView.as_view(), name="user_export"),
    path("users/new/", people.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/edit/", people.UserUpdateView.as_view(), name="user_update"),
    path("users/<int:pk>/active/", people.UserSetActiveView.as_view(), name="user_set_active"),
    path("teams/", people.TeamListView.as_view(), name="team_list"),
    path("teams/export/", people.TeamExportView.as_view(), name="team_export"),
    path("teams/new/", people.TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/edit/", people.TeamUpdateView.as_view(), name="team_update"),
    path("", include("crm.urls_pipeline")),
    path("", include("crm.urls_imports")),
    path("", include("crm.urls_clients")),
    path("", include("crm.urls_hunting")),
    path("", include("crm.urls_prospects")),
    path("", include("crm.urls_reassignments")),
]
