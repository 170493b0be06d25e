"""API representations. Output leaves out fields in data categories the caller may not see;
input serializers only validate, the services write."""

from __future__ import annotations

from rest_framework import serializers

from safeharbor.accounts.models import Agency, Program
from safeharbor.core.protected_views import CategoryFilteredSerializerMixin

from ..choices import (
    CaseCloseReason,
    ConsentPurpose,
    DataCategory,
    EstimateBasis,
    IdentificationBasis,
    IdentificationStatus,
    ServiceStatus,
    ServiceType,
    Sex,
    SignerRole,
    TraffickingType,
)
from ..models import (
    Case,
    CaseNote,
    CaseService,
    Consent,
    ConsentSigner,
    Identification,
    IdentificationStatusChange,
    MissingEpisode,
    Person,
    Screening,
    ScreeningInstrument,
)


class CategoryFilteredSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    """Drops the fields of data categories the requesting membership may not see (a list
    asks the engine about its whole page at once)."""


class SafeContactSerializer(serializers.Serializer):
    methods = serializers.ListField(child=serializers.CharField(), required=False)
    leave_message = serializers.BooleanField(required=False)
    safe_times = serializers.CharField(required=False, allow_blank=True)
    code_word = serializers.CharField(required=False, allow_blank=True)


class PersonSerializer(CategoryFilteredSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    aliases = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    dob = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    gender_identity = serializers.CharField(required=False, allow_blank=True, max_length=100)
    phones = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    emails = serializers.ListField(child=serializers.EmailField(), required=False)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=20)
    area = serializers.CharField(required=False, allow_blank=True, max_length=100)
    languages = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    safe_contact = SafeContactSerializer(required=False)
    abusers = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    estimated_age_basis = serializers.ChoiceField(
        choices=EstimateBasis.choices, required=False, allow_blank=True
    )
    custodial_agency = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "reference",
            "agency",
            "age_band",
            "county",
            "given_name",
            "family_name",
            "aliases",
            "dob",
            "estimated_age",
            "estimated_age_basis",
            "estimated_on",
            "sex",
            "gender_identity",
            "phones",
            "emails",
            "address",
            "city",
            "postcode",
            "area",
            "languages",
            "safe_contact",
            "abusers",
            "in_state_custody",
            "custodial_agency",
            "emancipated",
            "assigned_to",
            "source_record_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "reference",
            "agency",
            "age_band",
            "assigned_to",
            "created_at",
            "updated_at",
        ]


class PersonListSerializer(serializers.ModelSerializer):
    """A list row: the reference and non-identifying values, plus the display name when the
    caller sees identity."""

    name = serializers.SerializerMethodField()
    latest_identification_status = serializers.CharField(source="latest_status", read_only=True)
    has_open_case = serializers.BooleanField(read_only=True)
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "reference",
            "name",
            "age_band",
            "county",
            "agency",
            "assigned_to",
            "latest_identification_status",
            "has_open_case",
        ]

    def get_name(self, person: Person) -> str | None:
        own = self.context.get("own_agency_id") == person.agency_id
        return person.display_name if own else None


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = IdentificationStatusChange
        fields = ["status", "changed_on", "changed_by", "note", "created_at"]


class IdentificationSerializer(CategoryFilteredSerializer):
    history = StatusChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Identification
        fields = [
            "id",
            "person",
            "agency",
            "identified_on",
            "status",
            "basis",
            "trafficking_type",
            "juvenile_at_identification",
            "screening",
            "history",
        ]
        read_only_fields = fields


class IdentificationInput(serializers.Serializer):
    person = serializers.IntegerField()
    status = serializers.ChoiceField(choices=IdentificationStatus.choices)
    identified_on = serializers.DateField()
    basis = serializers.ChoiceField(choices=IdentificationBasis.choices)
    trafficking_type = serializers.ChoiceField(
        choices=TraffickingType.choices, default=TraffickingType.UNKNOWN
    )
    screening = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IdentificationStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=IdentificationStatus.choices)
    changed_on = serializers.DateField()
    trafficking_type = serializers.ChoiceField(choices=TraffickingType.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InstrumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScreeningInstrument
        fields = ["id", "slug", "version", "name", "agency", "is_active", "definition"]
        read_only_fields = fields


class ScreeningSerializer(CategoryFilteredSerializer):
    class Meta:
        model = Screening
        fields = [
            "id",
            "person",
            "instrument",
            "screened_on",
            "answers",
            "score",
            "band",
            "juvenile_at_screening",
            "note",
            "missing_episode",
            "created_at",
        ]
        read_only_fields = fields


class ScreeningInput(serializers.Serializer):
    person = serializers.IntegerField()
    instrument = serializers.IntegerField()
    screened_on = serializers.DateField()
    answers = serializers.DictField(child=serializers.CharField())
    note = serializers.CharField(required=False, allow_blank=True, default="")
    missing_episode = serializers.IntegerField(required=False, allow_null=True)


class CaseServiceSerializer(CategoryFilteredSerializer):
    class Meta:
        model = CaseService
        fields = ["id", "service_type", "status", "planned_on", "delivered_on", "provider", "note"]
        read_only_fields = fields


class CaseNoteSerializer(CategoryFilteredSerializer):
    class Meta:
        model = CaseNote
        fields = ["id", "body", "author", "created_at"]
        read_only_fields = fields


class CaseSerializer(CategoryFilteredSerializer):
    services = CaseServiceSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "person",
            "agency",
            "assigned_to",
            "opened_on",
            "status",
            "needs",
            "goals",
            "safety_plan",
            "close_reason",
            "close_note",
            "close_requested_by",
            "closed_on",
            "close_approved_by",
            "services",
        ]
        read_only_fields = fields


class CaseInput(serializers.Serializer):
    person = serializers.IntegerField()
    opened_on = serializers.DateField()
    needs = serializers.CharField(required=False, allow_blank=True, default="")
    goals = serializers.CharField(required=False, allow_blank=True, default="")
    safety_plan = serializers.CharField(required=False, allow_blank=True, default="")


class ServiceInput(serializers.Serializer):
    service_type = serializers.ChoiceField(choices=ServiceType.choices)
    status = serializers.ChoiceField(choices=ServiceStatus.choices, default=ServiceStatus.PLANNED)
    planned_on = serializers.DateField(required=False, allow_null=True)
    delivered_on = serializers.DateField(required=False, allow_null=True)
    provider = serializers.PrimaryKeyRelatedField(
        queryset=Program.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoteInput(serializers.Serializer):
    body = serializers.CharField(max_length=8000)


class CloseRequestInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=CaseCloseReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CloseDecisionInput(serializers.Serializer):
    approve = serializers.BooleanField()
    closed_on = serializers.DateField(required=False, allow_null=True)


class SignerSerializer(CategoryFilteredSerializer):
    class Meta:
        model = ConsentSigner
        fields = ["role", "name", "relationship"]


class ConsentSerializer(CategoryFilteredSerializer):
    signers = SignerSerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True)
    recipient_agencies = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    recipient_programs = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "person",
            "recipient_agencies",
            "recipient_programs",
            "categories",
            "purpose",
            "purpose_detail",
            "signed_on",
            "expires_on",
            "status",
            "revoked_at",
            "signers",
        ]
        read_only_fields = fields


class SignerInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=SignerRole.choices)
    name = serializers.CharField(max_length=200)
    relationship = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )


class ConsentInput(serializers.Serializer):
    person = serializers.IntegerField()
    recipient_agencies = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.all(), many=True, required=False, default=list
    )
    recipient_programs = serializers.SlugRelatedField(
        slug_field="slug", queryset=Program.objects.all(), many=True, required=False, default=list
    )
    categories = serializers.ListField(child=serializers.ChoiceField(choices=DataCategory.choices))
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    purpose_detail = serializers.CharField(required=False, allow_blank=True, default="")
    signed_on = serializers.DateField()
    expires_on = serializers.DateField()
    signers = SignerInputSerializer(many=True)


class RevokeInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MissingEpisodeSerializer(CategoryFilteredSerializer):
    report_deadline = serializers.DateTimeField(read_only=True)
    police_overdue = serializers.SerializerMethodField()
    ncmec_overdue = serializers.SerializerMethodField()

    class Meta:
        model = MissingEpisode
        fields = [
            "id",
            "person",
            "last_seen_at",
            "learned_at",
            "report_deadline",
            "police_reported_at",
            "police_report_number",
            "police_overdue",
            "ncmec_reported_at",
            "ncmec_case_number",
            "ncmec_overdue",
            "returned_at",
            "circumstances",
        ]
        read_only_fields = fields

    def get_police_overdue(self, episode: MissingEpisode) -> bool:
        return episode.police_overdue()

    def get_ncmec_overdue(self, episode: MissingEpisode) -> bool:
        return episode.ncmec_overdue()


class MissingInput(serializers.Serializer):
    person = serializers.IntegerField()
    learned_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField(required=False, allow_null=True)
    circumstances = serializers.CharField(required=False, allow_blank=True, default="")


class ReportInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=[("police", "police"), ("ncmec", "ncmec")])
    reported_at = serializers.DateTimeField()
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)


class ReturnInput(serializers.Serializer):
    returned_at = serializers.DateTimeField()


class ImportInput(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)


class ImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    column = serializers.CharField()
    reason = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    identifications = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)
