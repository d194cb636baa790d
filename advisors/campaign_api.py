"""Campaigns in the advisor API: the organisation's members read them and
their live figures; its admins create and close them (others get 404, as on
the pages). Another organisation's campaign answers 404 like a missing one."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from assessment.api import ERROR_404
from config.api import ERRORS_400, invalid

from . import campaigns
from .api import TAGS, AdvisorView
from .models import Campaign, Organisation


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Level code or stone category slug.")
    label = serializers.CharField()
    count = serializers.IntegerField(
        allow_null=True, help_text="null: fewer than `threshold`, not shown."
    )


class ProgressSerializer(serializers.Serializer):
    reassessed = serializers.IntegerField(
        help_text="Owners of shared cases who took the diagnostic again since."
    )
    up = serializers.IntegerField(allow_null=True)
    same = serializers.IntegerField(allow_null=True)
    down = serializers.IntegerField(allow_null=True)
    mean_change = serializers.FloatField(
        allow_null=True, help_text="Overall score, points; null below `threshold`."
    )


class RoomSerializer(serializers.Serializer):
    started = serializers.IntegerField()
    finished = serializers.IntegerField()
    shared = serializers.IntegerField(
        help_text="Shared with the receiving organisation and not withdrawn."
    )
    threshold = serializers.IntegerField(
        help_text="No count below it (the peer benchmark's minimum)."
    )
    levels = FigureSerializer(many=True, help_text="Empty below `threshold`.")
    stones = FigureSerializer(many=True, help_text="Those cited `threshold` times.")
    progress = ProgressSerializer()
    actions_done = serializers.IntegerField(
        allow_null=True,
        help_text="Actions of the shared cases' plans ticked done by their owners; "
        "null below `threshold` shared cases.",
    )
    owners_acting = serializers.IntegerField(
        allow_null=True, help_text="Owners who ticked at least one action done."
    )


class CampaignSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    receiving = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.SerializerMethodField(help_text="The public link.")
    open = serializers.SerializerMethodField(help_text="Whether the link starts.")

    class Meta:
        model = Campaign
        fields = [
            "id", "name", "code", "url", "open", "starts_on", "ends_on", "event",
            "place", "welcome", "organisation", "receiving", "created_at",
            "closed_at",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, campaign) -> str:
        path = reverse("campaigns:start", args=[campaign.code])
        return self.context["request"].build_absolute_uri(path)

    def get_open(self, campaign) -> bool:
        return campaigns.is_open(campaign)


class CampaignDetailSerializer(CampaignSerializer):
    figures = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "figures"]

    @extend_schema_field(RoomSerializer)
    def get_figures(self, campaign) -> dict:
        return RoomSerializer(campaigns.room(campaign)).data


class CampaignInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    event = serializers.CharField(max_length=200, required=False, allow_blank=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    welcome = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    receiving = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Slug of the organisation that receives the shared cases; "
        "default: yours.",
    )

    def validate(self, data):
        if data["ends_on"] < data["starts_on"]:
            raise serializers.ValidationError(
                {"ends_on": _("Le dernier jour précède le premier.")}
            )
        return data


class CampaignView(AdvisorView):
    def get_campaign(self, pk) -> Campaign:
        found = (
            Campaign.objects.of(self.membership.organisation)
            .select_related("organisation", "receiving")
            .filter(pk=pk)
            .first()
        )
        if found is None:
            raise NotFound(_("Campagne introuvable."))
        return found

    def require_admin(self):
        if not self.membership.is_admin:
            raise NotFound(_("Réservé aux administrateurs de l’organisation."))


class CampaignList(CampaignView):
    @extend_schema(
        tags=TAGS,
        summary="The organisation's campaigns, latest first",
        responses={200: CampaignSerializer(many=True), 404: ERROR_404},
    )
    def get(self, request):
        found = Campaign.objects.of(self.membership.organisation).select_related(
            "organisation", "receiving"
        )
        context = {"request": request}
        return Response(CampaignSerializer(found, many=True, context=context).data)

    @extend_schema(
        tags=TAGS,
        summary="Create a campaign and its public link (organisation admins)",
        request=CampaignInputSerializer,
        responses={201: CampaignSerializer, 400: ERRORS_400, 404: ERROR_404},
    )
    def post(self, request):
        self.require_admin()
        serializer = CampaignInputSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(serializer.errors)
        campaign = campaigns.create(
            self.membership.organisation, request.user, **serializer.validated_data
        )
        data = CampaignSerializer(campaign, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class CampaignDetail(CampaignView):
    @extend_schema(
        tags=TAGS,
        summary="A campaign and its live figures",
        description="Started, finished and shared diagnostics; levels, stones and "
        "progress of the shared cases, none below the privacy threshold.",
        responses={200: CampaignDetailSerializer, 404: ERROR_404},
    )
    def get(self, request, pk):
        campaign = self.get_campaign(pk)
        context = {"request": request}
        return Response(CampaignDetailSerializer(campaign, context=context).data)


class CampaignClose(CampaignView):
    @extend_schema(
        tags=TAGS,
        summary="Close a campaign: its link starts nothing more (organisation admins)",
        request=None,
        responses={200: CampaignSerializer, 404: ERROR_404},
    )
    def post(self, request, pk):
        self.require_admin()
        campaign = self.get_campaign(pk)
        campaigns.close(campaign)
        return Response(CampaignSerializer(campaign, context={"request": request}).data)
