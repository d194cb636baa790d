"""Campaign pages: the owners' first page behind the public link, and the
organisation's pages (list, new campaign, live room, poster, QR code, CSV)."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment.access import remember
from assessment.answering import start_assessment
from assessment.views import NEW_LINK_KEY
from config import throttling

from . import campaigns, forms
from .access import admin_required, advisor_required
from .models import Campaign
from .stats_views import write_csv

# --- The owners' side: the campaign's public link ------------------------------------


def start(request, code):
    campaign = campaigns.by_code(code)
    if campaign is None:
        raise Http404
    refusal = campaigns.refusal(campaign)
    if refusal is not None:
        context = {"campaign": campaign, "refusal": refusal}
        return render(request, "advisors/campaigns/closed.html", context, status=410)
    post = request.POST if request.method == "POST" else None
    form = forms.CampaignStartForm(post, campaign=campaign)
    if not form.is_valid():
        return _start_page(request, campaign, form, status=400 if post else 200)
    wait = campaigns.start_wait(request, campaign)
    if wait is not None:  # the form comes back as typed, with the wait to observe
        form.add_error(None, throttling.wait_message(wait))
        return throttling.refused(_start_page(request, campaign, form), wait)
    with transaction.atomic():
        assessment, token = start_assessment(
            profile=form.profile(), language=get_language() or "fr"
        )
        campaigns.enter(campaign, assessment, share=form.cleaned_data["share"])
    remember(request, assessment)
    request.session[NEW_LINK_KEY] = [assessment.pk, token]
    return redirect("assessment:link", pk=assessment.pk)


def _start_page(request, campaign, form, status=200):
    context = {"campaign": campaign, "form": form}
    return render(request, "advisors/campaigns/start.html", context, status=status)


# --- The organisation's side ---------------------------------------------------------


def _campaign_for(request, pk) -> Campaign:
    """The member's organisation's campaign, or 404 like one that does not exist."""
    campaign = (
        Campaign.objects.of(request.membership.organisation)
        .select_related("receiving", "organisation")
        .filter(pk=pk)
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


def public_url(request, campaign: Campaign) -> str:
    return request.build_absolute_uri(reverse("campaigns:start", args=[campaign.code]))


def qr_svg(url: str, *, scale: int, fluid: bool = False) -> str:
    """The link as an inline SVG QR code (no script, no external file); `fluid`:
    a viewBox instead of a size, so that the page's CSS sizes it."""
    svg = segno.make(url, error="m").svg_inline(
        scale=scale,
        border=4,
        omitsize=fluid,
        title=_("QR code : %(url)s") % {"url": url},
    )
    return mark_safe(svg)  # segno's own markup of a URL built here


@advisor_required
def campaign_list(request):
    organisation = request.membership.organisation
    found = (
        Campaign.objects.of(organisation)
        .select_related("receiving")
        .annotate(started=Count("entries"))
    )
    rows = [(c, campaigns.refusal(c) is None) for c in found]
    context = {"organisation": organisation, "rows": rows}
    return render(request, "advisors/campaigns/list.html", context)


@admin_required
def campaign_new(request):
    organisation = request.membership.organisation
    today = timezone.localdate()
    form = forms.CampaignForm(
        request.POST or None,
        initial={"starts_on": today, "ends_on": today, "receiving": organisation.slug},
    )
    if request.method == "POST" and form.is_valid():
        campaign = campaigns.create(organisation, request.user, **form.cleaned_data)
        messages.success(request, _("La campagne est créée : son lien est ouvert."))
        return redirect("advisors:campaign", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    context = {"organisation": organisation, "form": form}
    return render(request, "advisors/campaigns/new.html", context, status=status)


@advisor_required
def campaign_page(request, pk):
    campaign = _campaign_for(request, pk)
    url = public_url(request, campaign)
    context = {
        "campaign": campaign,
        "url": url,
        "qr": qr_svg(url, scale=4),
        "refusal": campaigns.refusal(campaign),
        "room": campaigns.room(campaign),
    }
    return render(request, "advisors/campaigns/campaign.html", context)


@advisor_required
def campaign_figures(request, pk):
    """The live figures alone, polled by the campaign page (htmx)."""
    campaign = _campaign_for(request, pk)
    context = {"campaign": campaign, "room": campaigns.room(campaign)}
    return render(request, "advisors/campaigns/_figures.html", context)


@advisor_required
def campaign_poster(request, pk):
    """A page to project or print: the name, the QR code, the short link."""
    campaign = _campaign_for(request, pk)
    url = public_url(request, campaign)
    context = {
        "campaign": campaign,
        "url": url,
        "qr": qr_svg(url, scale=10, fluid=True),
        "refusal": campaigns.refusal(campaign),
    }
    return render(request, "advisors/campaigns/poster.html", context)


@advisor_required
def campaign_qr(request, pk):
    """The QR code as a file to print: SVG, or PNG with `?format=png`."""
    campaign = _campaign_for(request, pk)
    qr = segno.make(public_url(request, campaign), error="m")
    buffer = io.BytesIO()
    kind = "png" if request.GET.get("format") == "png" else "svg"
    qr.save(buffer, kind=kind, scale=12, border=4)
    content_type = "image/png" if kind == "png" else "image/svg+xml"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    name = f"qr-campagne-{campaign.code}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@advisor_required
def campaign_csv(request, pk):
    """The room's figures in the statistics' CSV format."""
    campaign = _campaign_for(request, pk)
    rows = campaigns.room_rows(campaign, campaigns.room(campaign))
    name = f"campagne-{campaign.code}-{timezone.localdate():%Y-%m-%d}.csv"
    return write_csv(name, rows)


@require_POST
@admin_required
def campaign_close(request, pk):
    campaign = _campaign_for(request, pk)
    campaigns.close(campaign)
    messages.success(
        request,
        _("La campagne est close : son lien n’accepte plus de nouveaux diagnostics. "
          "Les diagnostics commencés peuvent être terminés."),
    )  # fmt: skip
    return redirect("advisors:campaign", pk=pk)
