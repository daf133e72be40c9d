"""The account pages (sign-in, sign-up, e-mail verification, agency membership, the second
factor). Thin: the rules are in portal/accounts/accounts.py."""

import hashlib

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlencode, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.models import MembershipRequest, User
from portal.operations.ratelimit import over_limit, ratelimit, too_many_requests

from . import exceptions, forms, registration, second_factor, sign_in, tasks
from . import membership as agency_membership


def _posted(request) -> tuple:
    """The form's data on POST (bound even when empty), nothing on GET."""
    return (request.POST,) if request.method == "POST" else (None,)


# --- Sign-in, sign-up, e-mail verification -------------------------------------------------------


class SignInView(auth_views.LoginView):
    template_name = "portal/accounts/login.html"
    form_class = forms.SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Without a `next`: officials to their agency's entries, staff and assessors to the
        admin (which asks for the second factor when required)."""
        user = self.request.user
        if user.is_authenticated and user.is_staff:
            return reverse("admin:index")
        if user.is_authenticated and user.is_official:
            return reverse("awards:dashboard")
        return super().get_default_redirect_url()


@ratelimit("sign_up", methods=("POST",))
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("awards:dashboard")
    form = forms.SignUpForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = registration.sign_up(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                position=data["position"],
                phone=data["phone"],
                privacy_acknowledged=data["privacy_notice"],
            )
        except registration.AlreadyRegistered as known:
            # The same answer as for a new address; the owner hears of it by e-mail.
            tasks.send_sign_up_notice.delay_on_commit(known.user.pk)
            return redirect("portal:sign_up_done")
        except exceptions.AccountError as error:
            form.add_error("email", str(error))
        else:
            tasks.send_verification_email.delay_on_commit(user.pk)
            return redirect("portal:sign_up_done")
    return render(request, "portal/accounts/sign_up.html", {"form": form})


def sign_up_done(request):
    return render(request, "portal/accounts/sign_up_done.html")


def verify_email(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    verified = user is not None and registration.verify_email(user, token)
    return render(
        request, "portal/accounts/verify_email_result.html", {"verified": verified}, status=200
    )


# --- Agency membership ---------------------------------------------------------------------------


@login_required
def membership(request):
    """Search the agency tree by Thai name or abbreviation, pick one, ask to join it."""
    user = request.user
    pending = agency_membership.pending_request(user)
    data = request.POST if request.method == "POST" else request.GET
    search = forms.AgencySearchForm(data or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    results = list(agency_membership.search_agencies(query)) if query else []
    form = forms.MembershipRequestForm(
        request.POST if request.method == "POST" else None, choices_queryset=results
    )
    if request.method == "POST" and not user.agency_id and pending is None and form.is_valid():
        try:
            agency_membership.request_membership(
                user, form.cleaned_data["agency"], form.cleaned_data["note"]
            )
        except exceptions.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("ส่งคำขอเข้าร่วมหน่วยงานแล้ว โปรดรอการอนุมัติ"))
            return redirect("portal:membership")
    return render(
        request,
        "portal/accounts/membership.html",
        {
            "search": search,
            "query": query,
            "results": results,
            "form": form,
            "pending": pending,
            "history": user.membership_requests.select_related("agency")[:10],
        },
    )


@login_required
def membership_requests(request):
    """Pending requests the signed-in staff member or agency coordinator may decide."""
    pending = agency_membership.requests_decidable_by(request.user).select_related("user", "agency")
    if not request.user.is_secretariat and not agency_membership.coordinated_agency_ids(
        request.user
    ):
        raise PermissionDenied
    return render(request, "portal/accounts/membership_requests.html", {"pending": pending})


@login_required
@require_POST
def decide_membership_request(request, pk):
    approve = request.POST.get("decision") == "approve"
    try:
        decided = agency_membership.decide_membership(pk, request.user, approve)
    except PermissionDenied:
        messages.error(request, _("ไม่มีสิทธิ์พิจารณาคำขอนี้ หรือคำขอนี้ได้รับการพิจารณาแล้ว"))
    else:
        if decided.state == MembershipRequest.State.APPROVED:
            messages.success(request, _("อนุมัติ %(user)s แล้ว") % {"user": decided.user})
        else:
            messages.success(request, _("ไม่อนุมัติคำขอของ %(user)s") % {"user": decided.user})
    return redirect("portal:membership_requests")


# --- The second factor ---------------------------------------------------------------------------

RECOVERY_CODES_SESSION_KEY = "otp_recovery_codes"


def _second_factor_step(request, check, template: str, context: dict | None = None):
    """A page asking for a code from the authenticator app; `check(user, token)` returns the
    device that accepts it (or None). Proven: remembered in the session, on to `next`."""
    form = forms.TokenForm(*_posted(request))
    if check is second_factor.verify_second_factor:  # a recovery code has letters too
        form.fields["token"].widget.attrs["inputmode"] = "text"
    if request.method == "POST" and form.is_valid():
        device = check(request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error("token", _("รหัสไม่ถูกต้องหรือหมดอายุแล้ว โปรดกรอกรหัสล่าสุดจากแอป"))
        else:
            from django_otp import login as otp_login

            otp_login(request, device)
            return redirect(sign_in.safe_next(request, reverse("admin:index")))
    context = {**(context or {}), "form": form, "next": sign_in.safe_next(request, "")}
    return render(request, template, context)


def _verified_required(view):
    """Managing the second factor (devices, recovery codes) needs a session that proved it,
    whatever the role; otherwise the code step first (set-up for someone with no device)."""
    from functools import wraps

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not second_factor.is_verified(request.user):
            next_url = request.get_full_path() if request.method == "GET" else ""
            return redirect(second_factor.second_factor_step(request.user, next_url))
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


@login_required
def otp_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code.
    A password alone sets up only a first device; with a device already, prove it first."""
    from base64 import b32encode

    user = request.user
    if not second_factor.may_enrol(user):
        return redirect(second_factor.second_factor_step(user, request.get_full_path()))
    first = not second_factor.has_confirmed_device(user)
    device = second_factor.unconfirmed_device(user)
    secret = b32encode(device.bin_key).decode()
    response = _second_factor_step(
        request, second_factor.confirm_device, "portal/accounts/otp_setup.html", {"secret": secret}
    )
    if response.status_code == 302 and (first or not second_factor.recovery_codes_left(user)):
        # Enrolled: recovery codes, shown once, before going on to `next`.
        request.session[RECOVERY_CODES_SESSION_KEY] = second_factor.new_recovery_codes(user)
        next_url = sign_in.safe_next(request, reverse("admin:index"))
        return redirect(f"{reverse('portal:otp_recovery_codes')}?{urlencode({'next': next_url})}")
    return _no_store(response)


@login_required
def otp_qrcode(request):
    import qrcode
    import qrcode.image.svg

    if not second_factor.may_enrol(request.user):
        raise PermissionDenied
    device = second_factor.unconfirmed_device(request.user)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return _no_store(HttpResponse(image.to_string(), content_type="image/svg+xml"))


@login_required
def otp_verify(request):
    """A code from the app, or one of the recovery codes (each works once)."""
    user = request.user
    if not second_factor.has_confirmed_device(user) and not second_factor.recovery_codes_left(user):
        return redirect(second_factor.second_factor_step(user, sign_in.safe_next(request, "")))
    return _second_factor_step(
        request, second_factor.verify_second_factor, "portal/accounts/otp_verify.html"
    )


@_verified_required
def otp_devices(request):
    """The user's own authenticator apps and how many recovery codes are left."""
    user = request.user
    return _no_store(
        render(
            request,
            "portal/accounts/otp_devices.html",
            {
                "devices": second_factor.confirmed_devices(user),
                "recovery_codes_left": second_factor.recovery_codes_left(user),
                "current": getattr(user, "otp_device", None),
                "form": forms.TokenForm(),
            },
        )
    )


@_verified_required
@require_POST
def otp_device_remove(request, pk):
    form = forms.TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("โปรดกรอกรหัสจากแอปยืนยันตัวตนเพื่อยืนยันการลบ"))
        return redirect("portal:otp_devices")
    try:
        second_factor.remove_device(request.user, pk, form.cleaned_data["token"])
    except exceptions.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("ลบอุปกรณ์แล้ว"))
    return redirect("portal:otp_devices")


@_verified_required
def otp_recovery_codes(request):
    """Recovery codes, shown once: just after enrolment, or after making a new set (POST)."""
    if request.method == "POST":
        request.session[RECOVERY_CODES_SESSION_KEY] = second_factor.new_recovery_codes(request.user)
        return redirect("portal:otp_recovery_codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    context = {
        "codes": codes,
        "left": second_factor.recovery_codes_left(request.user),
        "next": sign_in.safe_next(request, reverse("portal:otp_devices")),
    }
    return _no_store(render(request, "portal/accounts/otp_recovery_codes.html", context))


@login_required
def api_token(request):
    """The user's API token: a new one replaces the old, its key shown once. Staff and
    assessors reach this only from a verified session (SecondFactorMiddleware), and their token
    carries that (second_factor.issue_api_token)."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.filter(user=request.user).first()
    context = {"token": token, "key": None}
    if request.method == "POST":
        try:
            context["token"] = second_factor.issue_api_token(request.user)
        except exceptions.AccountError as error:
            messages.error(request, str(error))
        else:
            context["key"] = context["token"].key
    if context["token"] is not None:
        context["carries_second_factor"] = second_factor.token_is_verified(context["token"])
    context["second_factor_required"] = second_factor.second_factor_required(request.user)
    return _no_store(render(request, "portal/accounts/api_token.html", context))


# --- Password reset (Django's views, Thai templates) ---------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with limits: RATELIMITS["password_reset"] requests per client address
    (decorator below) and RATELIMITS["password_reset_account"] per e-mail address typed —
    counted whether or not it is registered, so the 429 tells nothing about accounts."""

    form_class = forms.ThaiPasswordResetForm
    template_name = "portal/accounts/password_reset_form.html"
    email_template_name = "portal/accounts/password_reset_email.txt"
    subject_template_name = "portal/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")

    def form_valid(self, form):
        email = registration.normalise_email(form.cleaned_data["email"])
        digest = hashlib.sha256(email.encode()).hexdigest()[:32]
        wait = over_limit("password_reset_account", self.request, key=f"email{digest}")
        if wait is not None:
            return too_many_requests(self.request, wait)
        return super().form_valid(form)


password_reset = ratelimit("password_reset", methods=("POST",))(PasswordResetView.as_view())
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="portal/accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=forms.ThaiSetPasswordForm,
    template_name="portal/accounts/password_reset_confirm.html",
    success_url=reverse_lazy("portal:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="portal/accounts/password_reset_complete.html"
)
