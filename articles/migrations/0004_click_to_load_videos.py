"""Videos became click-to-load placeholders (issue 15): bodies and answers holding a video link are
rendered again, so that pages stored with the old embedded player load nothing from the video
site until the reader presses play."""

from django.db import migrations
from django.db.models import Q

VIDEO_LINKS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com")


def with_video_links(field):
    condition = Q()
    for host in VIDEO_LINKS:
        condition |= Q(**{f"{field}__icontains": host})
    return condition


def render_again(apps, schema_editor):
    from painrelief.markdown import render_markdown

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(with_video_links("body")):
        rendered = render_markdown(article.body)
        article.body_html = rendered.html
        article.save(update_fields=["body_html"])
    Question = apps.get_model("questions", "Question")
    for question in Question.objects.filter(with_video_links("answer")):
        question.answer_html = render_markdown(question.answer).html
        question.save(update_fields=["answer_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_resource_and_download_request_move_to_downloads"),
        ("questions", "0004_submission_key"),
    ]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop)]
