from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from painrelief.pagecache import watch

        from .models import Article, ArticleRedirect, Category, Picture, Tag

        for model in (Article, ArticleRedirect, Category, Picture, Tag):
            watch(model)
