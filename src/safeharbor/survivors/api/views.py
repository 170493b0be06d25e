"""REST API of the survivors area. Every queryset starts from the permission engine;
every write calls a service."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from .. import access, selectors, services
from ..models import (
    Case,
    Consent,
    Identification,
    IdentificationStatusChange,
    MissingEpisode,
    Person,
    Screening,
    ScreeningInstrument,
)
from . import serializers as s


class SurvivorsViewSet(viewsets.GenericViewSet):
    """Rows come from ``visible_to(membership, action)``; a record outside it is a 404."""

    model: type = Person
    write_action = "change"

    @property
    def membership(self) -> Any:
        return self.request._request.api_membership

    def base_queryset(self) -> QuerySet:
        return self.model.objects.all()

    def get_queryset(self) -> QuerySet:
        action_name = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        return access.visible(self.base_queryset(), self.membership, action_name)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["membership"] = getattr(self.request._request, "api_membership", None)
        return context

    def person_for_write(self, pk: int) -> Person:
        return get_object_or_404(
            access.visible(Person.objects.all(), self.membership, "view"), pk=pk
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        access.record_list(self.membership, self.model, count=len(page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: int) -> Response:
        obj = self.get_object()
        access.record_view(self.membership, obj)
        return Response(self.get_serializer(obj).data)

    def created(self, obj: Any) -> Response:
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["survivors"])
class PersonViewSet(SurvivorsViewSet, mixins.UpdateModelMixin):
    """People: list and search, create, read (audited), change."""

    model = Person
    queryset = Person.objects.none()  # for the schema; rows come from get_queryset

    def get_serializer_class(self) -> type:
        return s.PersonListSerializer if self.action == "list" else s.PersonSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        membership = context["membership"]
        context["own_agency_id"] = membership.agency_id if membership else None
        return context

    def get_queryset(self) -> QuerySet:
        if self.action != "list":
            return super().get_queryset().select_related("agency")
        params = self.request.query_params
        open_case = params.get("open_case")
        filters = selectors.PersonFilters(
            q=params.get("q", "")[:100],
            age_band=params.get("age_band", ""),
            identification_status=params.get("identification_status", ""),
            assigned_to_me=params.get("mine") in ("1", "true"),
            open_case={"true": True, "false": False}.get(open_case or ""),
        )
        return selectors.people_list(membership=self.membership, filters=filters)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description="Name, alias, reference, date of birth (YYYY-MM-DD) or phone",
            ),
            OpenApiParameter("age_band", OpenApiTypes.STR),
            OpenApiParameter("identification_status", OpenApiTypes.STR),
            OpenApiParameter("open_case", OpenApiTypes.BOOL),
            OpenApiParameter("mine", OpenApiTypes.BOOL),
        ]
    )
    def list(self, request: Request) -> Response:
        ids = self.paginate_queryset(self.get_queryset().values_list("pk", flat=True))
        rows = selectors.people_rows(list(ids))
        access.record_list(self.membership, Person, count=len(rows))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def create(self, request: Request) -> Response:
        serializer = s.PersonSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        person = services.person_create(
            membership=self.membership, values=serializer.validated_data
        )
        return self.created(person)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        serializer = s.PersonSerializer(
            person, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        if "safe_contact" in values:
            values["safe_contact"] = dict(values["safe_contact"])
        person = services.person_update(membership=self.membership, person=person, values=values)
        return Response(s.PersonSerializer(person, context=self.get_serializer_context()).data)


@extend_schema(tags=["survivors"])
class IdentificationViewSet(SurvivorsViewSet):
    model = Identification
    queryset = Identification.objects.none()  # for the schema; rows come from get_queryset
    serializer_class = s.IdentificationSerializer

    def base_queryset(self) -> QuerySet:
        return Identification.objects.prefetch_related(
            Prefetch("history", queryset=IdentificationStatusChange.objects.order_by("id"))
        )

    @extend_schema(request=s.IdentificationInput, responses=s.IdentificationSerializer)
    def create(self, request: Request) -> Response:
        data = s.IdentificationInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = self.person_for_write(values.pop("person"))
        screening_id = values.pop("screening", None)
        screening = Screening.objects.filter(pk=screening_id, person=person).first()
        obj = services.identification_record(
            membership=self.membership, person=person, screening=screening, **values
        )
        return self.created(obj)

    @extend_schema(request=s.IdentificationStatusInput, responses=s.IdentificationSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: int) -> Response:
        data = s.IdentificationStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        obj = services.identification_change_status(
            membership=self.membership, identification=self.get_object(), **data.validated_data
        )
        return Response(self.get_serializer(obj).data)


@extend_schema(tags=["survivors"])
class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Screening instruments the caller's agency may use (every version)."""

    serializer_class = s.InstrumentSerializer
    queryset = ScreeningInstrument.objects.none()  # for the schema; rows come from get_queryset

    def get_queryset(self) -> QuerySet:
        membership = self.request._request.api_membership
        return ScreeningInstrument.objects.filter(
            slug__in=services.instruments_for(membership.agency_id).values("slug")
        )


@extend_schema(tags=["survivors"])
class ScreeningViewSet(SurvivorsViewSet):
    model = Screening
    queryset = Screening.objects.none()  # for the schema; rows come from get_queryset
    serializer_class = s.ScreeningSerializer

    @extend_schema(request=s.ScreeningInput, responses=s.ScreeningSerializer)
    def create(self, request: Request) -> Response:
        data = s.ScreeningInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = self.person_for_write(values.pop("person"))
        instrument = get_object_or_404(
            services.instruments_for(person.agency_id), pk=values.pop("instrument")
        )
        episode_id = values.pop("missing_episode", None)
        episode = MissingEpisode.objects.filter(pk=episode_id, person=person).first()
        obj = services.screening_record(
            membership=self.membership,
            person=person,
            instrument=instrument,
            missing_episode=episode,
            **values,
        )
        return self.created(obj)


@extend_schema(tags=["survivors"])
class CaseViewSet(SurvivorsViewSet):
    model = Case
    queryset = Case.objects.none()  # for the schema; rows come from get_queryset
    serializer_class = s.CaseSerializer

    def base_queryset(self) -> QuerySet:
        return Case.objects.prefetch_related("services")

    @extend_schema(request=s.CaseInput, responses=s.CaseSerializer)
    def create(self, request: Request) -> Response:
        data = s.CaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = self.person_for_write(values.pop("person"))
        return self.created(services.case_open(membership=self.membership, person=person, **values))

    @extend_schema(request=s.ServiceInput, responses=s.CaseServiceSerializer)
    @action(detail=True, methods=["post"])
    def services(self, request: Request, pk: int) -> Response:
        data = s.ServiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        service = services.case_service_add(
            membership=self.membership, case=self.get_object(), **data.validated_data
        )
        return Response(
            s.CaseServiceSerializer(service, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.NoteInput, responses=s.CaseNoteSerializer)
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: int) -> Response:
        data = s.NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        note = services.case_note_add(
            membership=self.membership, case=self.get_object(), body=data.validated_data["body"]
        )
        return Response(
            s.CaseNoteSerializer(note, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.CloseRequestInput, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="request-close")
    def request_close(self, request: Request, pk: int) -> Response:
        data = s.CloseRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_request_close(
            membership=self.membership, case=self.get_object(), **data.validated_data
        )
        return Response(self.get_serializer(case).data)

    @extend_schema(request=s.CloseDecisionInput, responses=s.CaseSerializer)
    @action(detail=True, methods=["post"], url_path="decide-close")
    def decide_close(self, request: Request, pk: int) -> Response:
        data = s.CloseDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_decide_close(
            membership=self.membership, case=self.get_object(), **data.validated_data
        )
        return Response(self.get_serializer(case).data)


@extend_schema(tags=["survivors"])
class ConsentViewSet(SurvivorsViewSet):
    model = Consent
    queryset = Consent.objects.none()  # for the schema; rows come from get_queryset
    serializer_class = s.ConsentSerializer

    def base_queryset(self) -> QuerySet:
        return Consent.objects.prefetch_related(
            "signers", "recipient_agencies", "recipient_programs"
        )

    @extend_schema(request=s.ConsentInput, responses=s.ConsentSerializer)
    def create(self, request: Request) -> Response:
        data = s.ConsentInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = self.person_for_write(values.pop("person"))
        signers = [services.SignerInput(**dict(x)) for x in values.pop("signers")]
        consent = services.consent_record(
            membership=self.membership, person=person, signers=signers, **values
        )
        return self.created(consent)

    @extend_schema(request=s.RevokeInput, responses=s.ConsentSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: int) -> Response:
        data = s.RevokeInput(data=request.data)
        data.is_valid(raise_exception=True)
        consent = services.consent_revoke(
            membership=self.membership, consent=self.get_object(), note=data.validated_data["note"]
        )
        return Response(self.get_serializer(consent).data)


@extend_schema(tags=["survivors"])
class MissingEpisodeViewSet(SurvivorsViewSet):
    model = MissingEpisode
    queryset = MissingEpisode.objects.none()  # for the schema; rows come from get_queryset
    serializer_class = s.MissingEpisodeSerializer

    @extend_schema(request=s.MissingInput, responses=s.MissingEpisodeSerializer)
    def create(self, request: Request) -> Response:
        data = s.MissingInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = self.person_for_write(values.pop("person"))
        episode = services.missing_episode_open(membership=self.membership, person=person, **values)
        return self.created(episode)

    @extend_schema(request=s.ReportInput, responses=s.MissingEpisodeSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: int) -> Response:
        data = s.ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        episode = services.missing_episode_report(
            membership=self.membership, episode=self.get_object(), **data.validated_data
        )
        return Response(self.get_serializer(episode).data)

    @extend_schema(request=s.ReturnInput, responses=s.MissingEpisodeSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def returned(self, request: Request, pk: int) -> Response:
        data = s.ReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        episode = services.missing_episode_return(
            membership=self.membership, episode=self.get_object(), **data.validated_data
        )
        return Response(self.get_serializer(episode).data)


@extend_schema(tags=["survivors"])
class ImportViewSet(viewsets.ViewSet):
    """Import a CSV into the caller's agency: all rows or none (see docs/import.md)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": s.ImportInput}, responses=s.ImportResultSerializer
    )
    def create(self, request: Request) -> Response:
        data = s.ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        membership = request._request.api_membership
        try:
            text = data.validated_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            return Response({"file": ["Not UTF-8 text."]}, status=status.HTTP_400_BAD_REQUEST)
        outcome = services.survivors_import(
            membership=membership,
            agency=membership.agency,
            stream=text,
            dry_run=data.validated_data["dry_run"],
        )
        body = s.ImportResultSerializer(
            {
                "ok": outcome.ok,
                "dry_run": outcome.dry_run,
                "rows": outcome.rows,
                "created": outcome.created,
                "identifications": outcome.identifications,
                "errors": outcome.errors,
            }
        ).data
        return Response(body, status=status.HTTP_200_OK if outcome.ok else 400)
