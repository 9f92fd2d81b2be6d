from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def person_list(request):
    return render(request, "people/person_list.html", {})
