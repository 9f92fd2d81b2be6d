from django.contrib.auth.views import LoginView

from mentora.accounts.forms import SignInForm
from mentora.demo.org import demo_published_logins_exist


class SignInView(LoginView):
    """Django's sign-in page, which says so when the demo's published log-ins are in the database."""

    form_class = SignInForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"demo_loaded": demo_published_logins_exist()}
