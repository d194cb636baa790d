# The pulse moved to its own app (pulse/0001_initial): the diagnostic forgets
# its models without dropping their tables, which the pulse app now owns.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0004_questionnaire_english'),
        ('pulse', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='PulseResponse'),
                migrations.DeleteModel(name='PulseInvitation'),
            ],
            database_operations=[],
        ),
    ]
