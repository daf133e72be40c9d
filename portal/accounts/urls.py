from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/done/", views.sign_up_done, name="sign_up_done"),
    path("verify/<uidb64>/<token>/", views.verify_email, name="verify_email"),
    path("membership/", views.membership, name="membership"),
    path("membership/requests/", views.membership_requests, name="membership_requests"),
    path(
        "membership/requests/<int:pk>/decide/",
        views.decide_membership_request,
        name="decide_membership_request",
    ),
    path("two-factor/setup/", views.otp_setup, name="otp_setup"),
    path("two-factor/setup/qr.svg", views.otp_qrcode, name="otp_qrcode"),
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("two-factor/devices/", views.otp_devices, name="otp_devices"),
    path(
        "two-factor/devices/<int:pk>/remove/",
        views.otp_device_remove,
        name="otp_device_remove",
    ),
    path("two-factor/recovery-codes/", views.otp_recovery_codes, name="otp_recovery_codes"),
    path("api-token/", views.api_token, name="api_token"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
