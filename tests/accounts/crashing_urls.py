from django.http import HttpRequest, HttpResponse
from django.urls import path


def crash(request: HttpRequest) -> HttpResponse:
    raise ZeroDivisionError("a bug in a view")


urlpatterns = [path("crash/", crash)]
