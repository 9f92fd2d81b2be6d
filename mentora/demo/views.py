from allauth.account.views import LoginView

from mentora.demo.org import demo_published_logins_exist


class SignInView(LoginView):
    """django-allauth's sign-in page (our template), which says so when the demo's published log-ins
    are in the database."""

    template_name = "account/login.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"demo_loaded": demo_published_logins_exist()}
