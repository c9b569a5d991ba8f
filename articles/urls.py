from django.urls import path

from painrelief.pagecache import public_page

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", public_page(views.ArticleListView.as_view()), name="list"),
    path("feed/", public_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("category/<path:path>/feed/", public_page(feeds.CategoryFeed()), name="category-feed"),
    path(
        "category/<path:path>/feed/atom/",
        public_page(feeds.CategoryAtomFeed()),
        name="category-feed-atom",
    ),
    path("category/<path:path>/", public_page(views.CategoryView.as_view()), name="category"),
    path("tag/<slug:slug>/", public_page(views.TagView.as_view()), name="tag"),
    path(
        "<slug:slug>/comments/feed/",
        public_page(feeds.ArticleCommentsFeed()),
        name="comments-feed",
    ),
    path("<slug:slug>/", public_page(views.ArticleDetailView.as_view()), name="detail"),
]
