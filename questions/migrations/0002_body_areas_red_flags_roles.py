from django.db import migrations

from painrelief.accounts.roles import grant_role_permissions

BODY_AREAS = [
    ("Head and jaw", "head-and-jaw"),
    ("Neck", "neck"),
    ("Shoulder", "shoulder"),
    ("Upper back", "upper-back"),
    ("Chest", "chest"),
    ("Arm and hand", "arm-and-hand"),
    ("Lower back", "lower-back"),
    ("Hip and leg", "hip-and-leg"),
    ("Knee and foot", "knee-and-foot"),
    ("All over", "all-over"),
]

# (name, any of these phrases, together with one of these)
RED_FLAGS = [
    (
        "Numbness or weakness getting worse",
        "getting weaker\ngetting worse\nspreading\nprogressive*\nworse every day\nlosing strength",
        "numb*\ntingl*\nweak*\npins and needles\ncan't feel\ncannot feel",
    ),
    (
        "Loss of bladder or bowel control",
        "bladder\nbowel\nincontinen*\nwet myself\ncan't pee\ncannot pee\ncannot urinate\nsaddle numb*\nnumb saddle\nnumbness in the saddle",
        "",
    ),
    (
        "Chest pain with arm or jaw pain",
        "chest pain\npain in my chest\npain in his chest\npain in her chest\nchest tightness\ntight chest",
        "arm\narms\njaw\nshortness of breath\nshort of breath\nsweating\nsweaty",
    ),
    (
        "Pain after a fall or an accident",
        "i fell\nhe fell\nshe fell\nfell off\nfell down\na fall\nfallen\naccident\ncrash\nwhiplash\nhit by",
        "",
    ),
    (
        "Fever with back or neck pain",
        "fever*\nhigh temperature\nchills\nnight sweats",
        "back\nneck\nspine\nspinal",
    ),
    (
        "Sudden severe headache or stiff neck with fever",
        "worst headache\nthunderclap\nsudden severe headache",
        "",
    ),
    (
        "Weakness in both legs or trouble walking",
        "both legs\ncan't walk\ncannot walk\nfoot drop\nlegs give way",
        "weak*\nnumb*\ngive way\ngives way\nfoot drop",
    ),
]

COACH = [
    f"questions.{action}_{model}"
    for model in ("question", "snippet", "redflag", "bodyarea")
    for action in ("add", "change", "delete", "view")
] + ["questions.answer_question", "questions.moderate_question", "questions.view_asker_email"]
MODERATOR = ["questions.view_question", "questions.moderate_question"]


DECLINE = (
    "Thank you for trusting me with your question. I am sorry: I cannot answer it well "
    "from a distance. What you describe needs someone who can examine you in person: please "
    "see your doctor or a physiotherapist, and take this message with you if it helps.\n\n"
    "I wish you a quick recovery."
)


def create(apps, schema_editor):
    BodyArea = apps.get_model("questions", "BodyArea")
    RedFlag = apps.get_model("questions", "RedFlag")
    for position, (name, slug) in enumerate(BODY_AREAS):
        BodyArea.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    for name, phrases, with_phrases in RED_FLAGS:
        RedFlag.objects.get_or_create(
            name=name, defaults={"phrases": phrases, "with_phrases": with_phrases}
        )
    apps.get_model("questions", "Snippet").objects.get_or_create(
        title="Kind decline", defaults={"body": DECLINE, "use": "decline"}
    )
    grant_role_permissions(apps, {"Coach": COACH, "Moderator": MODERATOR})


def remove(apps, schema_editor):
    apps.get_model("questions", "BodyArea").objects.all().delete()
    apps.get_model("questions", "RedFlag").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0001_questions"),
        ("accounts", "0002_create_roles"),
    ]

    operations = [migrations.RunPython(create, remove)]
