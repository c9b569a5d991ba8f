from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "painrelief.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self):
        from painrelief.pagecache import watch

        from .models import Comment

        # The services say when a comment's change shows; deletions come from the admin too.
        watch(Comment, on_save=False, only_if=lambda comment: comment.is_public)
