"""The private parts of a question are stored encrypted: the raw table holds no plaintext,
damaged ciphertext is an error, lookups go through the address's keyed hash, keys rotate."""

import base64
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from painrelief import encryption
from painrelief.encryption import DecryptionError, EncryptedLookupError
from questions import services
from questions.links import private_path
from questions.models import Question
from tests.comments.conftest import form_stamp
from tests.factories import QuestionFactory, coach, moderator

pytestmark = pytest.mark.django_db

KEY_A = base64.urlsafe_b64encode(b"A" * 32).decode()
KEY_B = base64.urlsafe_b64encode(b"B" * 32).decode()

SECRETS = {
    "body": "My neighbour Ottoline Quarrendon hurts her back lifting hay bales at dawn.",
    "name": "Ottoline Quarrendon",
    "email": "ottoline.q@hayfield.example",
    "ip_address": "203.0.113.77",
    "user_agent": "Mozilla/5.0 (X11; Quarrendon-OS 9.1) Gecko/20100101",
    "internal_notes": "Coach's note: she farms near Tewkesbury.",
    "decline_message": "Sorry Ottoline, this needs a doctor's visit.",
    "answer": "## Lift with the legs, Ottoline\n\nBale by bale.",
}


def raw_rows(table="questions_question") -> str:
    """Every value of every row of the table as stored, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (quoted name)
        return "\n".join(str(value) for row in cursor.fetchall() for value in row)


def raw_value(question, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM questions_question WHERE id = %s",  # noqa: S608 (quoted name)
            [question.pk],
        )
        return cursor.fetchone()[0]


def set_raw(question, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE questions_question SET {connection.ops.quote_name(column)} = %s "  # noqa: S608 (quoted name)
            "WHERE id = %s",
            [value, question.pk],
        )


def private_question(**overrides) -> Question:
    """An answered question, its answer sent to the asker but not public, with every secret."""
    question = QuestionFactory(
        **{**SECRETS, "status": "answered", "publication": "anonymous", **overrides}
    )
    services.publish_answer(question=question)
    question.consent_text = services.public_text_of(question)
    question.save()
    return question


def test_the_raw_table_holds_no_plaintext_of_the_private_parts():
    private_question()

    stored = raw_rows()

    for field, secret in SECRETS.items():
        assert secret not in stored, field
    for word in ("Ottoline", "Quarrendon", "hayfield", "203.0.113", "Tewkesbury", "Bale by"):
        assert word.lower() not in stored.lower(), word


def test_what_a_reader_sends_through_the_form_is_stored_encrypted(
    django_capture_on_commit_callbacks,
):
    client = Client(HTTP_USER_AGENT=SECRETS["user_agent"], REMOTE_ADDR=SECRETS["ip_address"])
    answers = {
        "title": "Hay bales and my back",
        "body": SECRETS["body"],
        "duration": "weeks",
        "name": SECRETS["name"],
        "email": SECRETS["email"],
        "publication": "private",
        "form_stamp": form_stamp(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("questions:ask"), {**answers, "send": ""})

    question = Question.objects.get()
    stored = raw_rows()

    assert (question.body, question.ip_address, question.user_agent) == (
        SECRETS["body"],
        SECRETS["ip_address"],
        SECRETS["user_agent"],
    )
    for field in ("body", "name", "email", "ip_address", "user_agent"):
        assert SECRETS[field] not in stored, field
    assert "Hay bales and my back" in stored  # the title stays plain: the coach's list


def test_every_private_value_reads_back_as_it_was_written():
    question = private_question(ip_address="2001:DB8::0:1")

    saved = Question.objects.get(pk=question.pk)

    for field, secret in SECRETS.items():
        if field != "ip_address":
            assert getattr(saved, field) == secret, field
    assert saved.ip_address == "2001:db8::1"  # normalised as a GenericIPAddressField does
    assert saved.answer_html.startswith("<h2") and saved.consent_text.endswith("Bale by bale.")
    assert raw_value(question, "body").startswith(encryption.keyring()[0] + "$")


def test_a_tampered_ciphertext_is_an_error_not_garbage():
    question = private_question()
    stored = raw_value(question, "body")
    key, _, sealed = stored.partition("$")
    flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    set_raw(question, "body", f"{key}${flipped}")

    with pytest.raises(DecryptionError, match="altered"):
        Question.objects.get(pk=question.pk)


def test_a_ciphertext_moved_to_another_column_does_not_open():
    question = private_question()
    set_raw(question, "decline_message", raw_value(question, "internal_notes"))

    with pytest.raises(DecryptionError):
        Question.objects.get(pk=question.pk)


def test_a_value_under_a_key_that_is_not_configured_is_an_error(settings):
    question = private_question()
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]

    with pytest.raises(DecryptionError, match="not in FIELD_ENCRYPTION_KEYS"):
        Question.objects.get(pk=question.pk)


@pytest.mark.parametrize(
    "lookup",
    [
        {"email": SECRETS["email"]},
        {"email__iexact": SECRETS["email"]},
        {"name__startswith": "Otto"},
        {"body__icontains": "hay"},
        {"ip_address": SECRETS["ip_address"]},
        {"user_agent__contains": "Quarrendon"},
        {"email__lower": SECRETS["email"]},
    ],
)
def test_lookups_on_encrypted_fields_fail_loudly(lookup):
    private_question()

    with pytest.raises(EncryptedLookupError, match="encrypted"):
        list(Question.objects.filter(**lookup))


def test_a_queryset_update_encrypts_too():
    """As the retention job erases or rewrites traces in one UPDATE."""
    question = private_question()

    Question.objects.update(user_agent="Erased/1.0", ip_address=None)

    assert "Erased/1.0" not in raw_rows()
    saved = Question.objects.get(pk=question.pk)
    assert (saved.user_agent, saved.ip_address) == ("Erased/1.0", None)


def test_isnull_still_works_on_an_encrypted_field():
    private_question()
    QuestionFactory(ip_address=None)

    assert Question.objects.filter(ip_address__isnull=True).count() == 1
    assert Question.objects.exclude(ip_address=None).count() == 1  # Django's isnull spelling


def test_questions_are_found_by_their_address_in_any_case():
    mine = private_question()
    QuestionFactory(email="someone.else@hayfield.example")

    assert list(Question.objects.with_email("  Ottoline.Q@HAYFIELD.example ")) == [mine]
    assert not Question.objects.with_email("ottoline@hayfield.example").exists()
    assert raw_value(mine, "email_digest") == encryption.email_digest(SECRETS["email"])


def test_bulk_created_questions_get_their_digest():
    Question.objects.bulk_create([Question(title="Bulk", body="x", name="B", email="b@x.example")])

    assert Question.objects.with_email("B@x.example").get().title == "Bulk"


def test_the_coach_finds_a_question_by_a_whole_address_in_the_admin(client):
    private_question(title="Hay bale question")
    QuestionFactory(title="Someone else's question")
    client.force_login(coach())
    changelist = reverse("admin:questions_question_changelist")

    found = client.get(changelist, {"q": "OTTOLINE.Q@hayfield.example"}).text
    partial = client.get(changelist, {"q": "hayfield.example"}).text

    assert "Hay bale question" in found and "Someone else&#x27;s question" not in found
    assert "Hay bale question" not in partial  # a part of an address cannot be searched


def test_a_moderator_cannot_confirm_an_address_by_searching_it(client):
    QuestionFactory(**SECRETS, title="Held hay question", status="held")
    client.force_login(moderator())
    changelist = reverse("admin:questions_question_changelist")

    assert "Held hay question" in client.get(changelist).text
    assert "Held hay question" not in client.get(changelist, {"q": SECRETS["email"]}).text


@pytest.mark.parametrize("lookup", ["email", "name__startswith", "ip_address", "body"])
def test_a_coachs_lookup_of_an_encrypted_field_in_the_admin_url_is_refused(client, lookup):
    private_question()
    client.force_login(coach())

    response = client.get(reverse("admin:questions_question_changelist"), {lookup: "x"})

    assert response.status_code == 400


def test_the_admin_change_page_shows_the_decrypted_case_and_the_askers_history(client):
    question = private_question()
    private_question(title="An earlier question of hers", email="OTTOLINE.Q@hayfield.example")
    client.force_login(coach())

    html = client.get(reverse("admin:questions_question_change", args=[question.pk])).text

    assert "Ottoline Quarrendon hurts her back" in html and SECRETS["email"] in html
    assert "1 other questions" in html and "An earlier question of hers" in html


def test_the_export_and_the_erase_find_an_address_through_its_digest(client):
    private_question()
    client.force_login(coach())
    url = reverse("admin:questions_privacy")

    exported = json.loads(
        client.post(url, {"email": "Ottoline.Q@Hayfield.example", "action": "export"}).content
    )
    client.post(url, {"email": SECRETS["email"].upper(), "action": "erase", "confirm": "on"})

    assert exported["questions"][0]["case"] == SECRETS["body"]
    assert exported["questions"][0]["name"] == SECRETS["name"]
    assert not Question.objects.exists()


def test_the_asker_reads_the_answer_on_the_private_page(client):
    question = private_question()

    html = client.get(private_path(question)).text

    assert "Lift with the legs, Ottoline" in html and "Ottoline Quarrendon hurts" in html


# --- The answer's search copy ------------------------------------------------------------


def test_only_a_public_answer_has_a_plain_search_copy(client):
    private = private_question()
    public = QuestionFactory(
        public=True, public_title="Walking it off", answer="Gentle walking with a thermos."
    )

    assert raw_value(private, "answer_text") == ""
    assert "thermos" in raw_value(public, "answer_text")
    assert "Walking it off" in client.get(reverse("search"), {"q": "thermos"}).text


def test_a_public_question_taken_offline_loses_its_plain_search_copy():
    withdrawn = QuestionFactory(public=True, answer="Gentle walking with a thermos of tea.")
    made_private = QuestionFactory(public=True, answer="A hot bath with a thermos of tea.")
    judged_spam = QuestionFactory(
        public=True, answer="Warm towels and a thermos of tea.", public_body="A thermos case."
    )

    services.decline_public_text(question=withdrawn)
    services.change_publication(question=made_private, publication="private")
    services.moderate(questions=[judged_spam], status="spam", moderator=coach())

    assert "thermos" not in raw_rows()


def test_approving_the_public_text_fills_the_search_copy():
    question = private_question(answer="Gentle walking with a thermos of tea.")
    question.public_title, question.public_body = "Walking", "A reader's back."
    services.request_consent(question=question)
    assert raw_value(question, "answer_text") == ""

    assert services.approve_public_text(question=Question.objects.get(pk=question.pk))

    assert "thermos of tea" in raw_value(question, "answer_text")


def test_the_public_text_is_encrypted_until_public_and_searchable_only_then(client):
    """The coach's copy starts as the case itself: until the asker approves it and the
    question is public, it is as private as the case."""
    question = private_question(answer="Gentle walking with a thermos of tea.")
    question.public_title, question.public_body = "Walking", "Ottoline's lumbago draft."
    question.save()
    assert "lumbago" not in raw_rows()
    assert "Walking" not in client.get(reverse("search"), {"q": "lumbago"}).text

    services.request_consent(question=question)
    assert "lumbago" not in raw_rows()
    assert services.approve_public_text(question=Question.objects.get(pk=question.pk))

    assert raw_value(question, "public_body_text") == "Ottoline's lumbago draft."
    assert "lumbago" not in raw_value(question, "public_body")
    assert "Walking" in client.get(reverse("search"), {"q": "lumbago"}).text

    services.change_publication(
        question=Question.objects.get(pk=question.pk), publication="private"
    )
    assert "lumbago" not in raw_rows()
    assert "Walking" not in client.get(reverse("search"), {"q": "lumbago"}).text


# --- Keys and rotation -------------------------------------------------------------------


def test_rotation_re_encrypts_everything_with_the_new_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    question = private_question()
    key_a = encryption.keyring()[0]
    assert raw_value(question, "body").startswith(f"{key_a}$")

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    key_b = encryption.keyring()[0]
    assert Question.objects.get(pk=question.pk).body == SECRETS["body"]  # old key still read
    assert Question.objects.with_email(SECRETS["email"]).exists()  # old digest still found
    dry = StringIO()
    call_command("encryption", "rotate", "--dry-run", stdout=dry)
    assert "would re-encrypt 1 rows" in dry.getvalue()
    assert raw_value(question, "body").startswith(f"{key_a}$")
    out = StringIO()
    call_command("encryption", "rotate", stdout=out)
    again = StringIO()
    call_command("encryption", "rotate", stdout=again)

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    saved = Question.objects.get(pk=question.pk)
    assert "re-encrypted 1 rows" in out.getvalue() and "re-encrypted 0 rows" in again.getvalue()
    for field, secret in SECRETS.items():
        assert getattr(saved, field) == secret, field
    assert encryption.key_ids_in_use(Question) == {key_b: len(SECRETS) + 2}  # + html, consent
    assert Question.objects.with_email(SECRETS["email"]).get() == saved
    assert raw_value(question, "email_digest") == encryption.email_digest(SECRETS["email"])


def test_the_status_command_counts_values_under_each_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    QuestionFactory()
    out = StringIO()

    call_command("encryption", "status", stdout=out)

    assert f"questions.Question: 3 under {encryption.keyring()[0]} (current)" in out.getvalue()


def test_a_new_key_is_32_random_bytes_in_the_settings_form():
    out = StringIO()

    call_command("encryption", "newkey", stdout=out)

    key = out.getvalue().strip()
    assert len(encryption.decode_key(key)) == 32 and key != encryption.generate_key()


def test_a_malformed_key_is_reported_by_the_system_check(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]

    errors = encryption.check_keys(None)

    assert [error.id for error in errors] == ["painrelief.E002"]
