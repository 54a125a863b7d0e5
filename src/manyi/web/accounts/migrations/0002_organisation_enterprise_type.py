"""企业类型 becomes the legal form (from the registered name), apart from the code's category."""

from django.db import migrations, models


def derive_enterprise_types(apps, schema_editor):
    from manyi.orgs.enterprise_type import enterprise_type_for

    Organisation = apps.get_model("accounts", "Organisation")
    for organisation in Organisation.objects.all().iterator():
        organisation.enterprise_type = (
            enterprise_type_for(organisation.name, organisation.org_category) or ""
        )
        organisation.save(update_fields=["enterprise_type"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="organisation",
            name="org_category",
            field=models.CharField(blank=True, max_length=50, verbose_name="机构类别"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="enterprise_type",
            field=models.CharField(blank=True, max_length=50, verbose_name="企业类型"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="enterprise_type_chosen",
            field=models.BooleanField(default=False, verbose_name="企业类型由本单位选择"),
        ),
        migrations.RunPython(derive_enterprise_types, migrations.RunPython.noop),
    ]
