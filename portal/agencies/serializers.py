"""JSON shapes of the reference data that other apps' serializers share: an agency wherever it
appears in the API is {id, name, abbreviation, url}; an SDG is {number, name_th, name_en, url}."""

from rest_framework import serializers

from portal.agencies.models import SDG, Agency


class AgencyRefSerializer(serializers.ModelSerializer):
    """An agency where another object names it (a case study, a result, an entry, an
    ancestor): its id (the `agency` filter's value and open data's agency_id), its name in the
    reader's language (Accept-Language), abbreviation and API URL."""

    url = serializers.HyperlinkedIdentityField(view_name="agency-detail")
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "abbreviation", "url"]


class SDGSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="sdg-detail", lookup_field="number")
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = SDG
        fields = ["number", "name", "name_th", "name_en", "url"]
