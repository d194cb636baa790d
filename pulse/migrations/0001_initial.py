# The pulse moved out of the diagnostic app: its tables stay where they are
# (state only), and the content types follow so permissions and admin history
# keep pointing at the same rows.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def move_content_types(apps, schema_editor, old="assessment", new="pulse"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("pulseinvitation", "pulseresponse"):
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def restore_content_types(apps, schema_editor):
    move_content_types(apps, schema_editor, old="pulse", new="assessment")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('assessment', '0003_pulse'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PulseInvitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                        ('status', models.CharField(choices=[('open', 'ouvert'), ('closed', 'clos')], default='open', max_length=6)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('assessment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='pulse_invitation', to='assessment.assessment')),
                    ],
                    options={
                        'verbose_name': 'invitation au pouls des salariés',
                        'db_table': 'assessment_pulseinvitation',
                    },
                ),
                migrations.CreateModel(
                    name='PulseResponse',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('answered_on', models.DateField(default=django.utils.timezone.localdate)),
                        ('answers', models.JSONField()),
                        ('invitation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='pulse.pulseinvitation')),
                    ],
                    options={
                        'verbose_name': 'réponse au pouls des salariés',
                        'db_table': 'assessment_pulseresponse',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
