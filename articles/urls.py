from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("category/<path:path>/feed/", feeds.CategoryFeed(), name="category-feed"),
    path("category/<path:path>/feed/atom/", feeds.CategoryAtomFeed(), name="category-feed-atom"),
    path("category/<path:path>/", views.CategoryView.as_view(), name="category"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("<slug:slug>/comments/feed/", feeds.ArticleCommentsFeed(), name="comments-feed"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
