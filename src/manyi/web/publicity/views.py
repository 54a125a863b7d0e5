"""Public pages (no login): the 公示, the objection form and certificate verification."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from manyi.web.core.forms import add_service_errors
from manyi.web.publicity import selectors, services
from manyi.web.publicity.certificates import normalise_number
from manyi.web.publicity.forms import ObjectionForm, VerifyForm
from manyi.web.publicity.models import Publication


def _publication(pk: int) -> Publication:
    return get_object_or_404(Publication.objects.select_related("campaign"), pk=pk)


def publication_list(request: HttpRequest) -> HttpResponse:
    publications = selectors.publications_public()
    return render(
        request,
        "publicity/publication_list.html",
        {
            "open_publications": [p for p in publications if p.is_open()],
            "past_publications": [p for p in publications if not p.is_open()],
        },
    )


def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(pk)
    return render(
        request,
        "publicity/publication_detail.html",
        {
            "publication": publication,
            "rows": selectors.publication_rows(publication, public=True),
            "window": _window(publication),
        },
    )


def _window(publication: Publication) -> dict[str, str]:
    return {
        "opens": selectors.format_datetime(publication.opens_at),
        "closes": selectors.format_datetime(publication.closes_at),
    }


@require_http_methods(["GET", "POST"])
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(pk)
    context = {"publication": publication, "window": _window(publication)}
    if not publication.is_open():
        return render(request, "publicity/objection_closed.html", context)
    rows = selectors.publication_rows(publication, public=True)
    form = ObjectionForm(request.POST or None, request.FILES or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_submit(
                publication=publication,
                item_id=form.cleaned_data["item"],
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                content=form.cleaned_data["content"],
                uploads=form.cleaned_data["attachments"],
            )
        except services.ObjectionWindowClosed:
            return render(request, "publicity/objection_closed.html", context)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(request, "publicity/objection_done.html", context)
    context["form"] = form
    return render(request, "publicity/objection_form.html", context)


def certificate_search(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        raw = form.cleaned_data["number"]
        number = normalise_number(raw) or raw.strip().replace("/", "") or "-"
        return redirect("publicity:certificate_verify", number=number)
    return render(request, "publicity/certificate_verify.html", {"form": form})


def certificate_verify(request: HttpRequest, number: str) -> HttpResponse:
    verification = selectors.certificate_verify(number)
    return render(
        request,
        "publicity/certificate_verify.html",
        {"form": VerifyForm(initial={"number": verification.number}), "result": verification},
        status=404 if verification.status == "not_found" else 200,
    )
