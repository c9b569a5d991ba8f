"""Reading a page of comment threads: three queries whatever the number of comments.

1. how many comments are approved (for "N thoughts on …");
2. how many threads are visible (for the pages of threads);
3. every comment of this page's threads, with its author and whether the author is a coach.

The tree is then built in Python. A thread is visible when one of its comments is approved (or
is the reader's own pending comment); a hidden comment with visible replies stays in its place
as "This comment was removed", so that the replies keep their context.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .guests import own_comment_ids
from .models import Comment, approved_condition, visible_condition
from .targets import closed_reason, target_label

PAGE_PARAMETER = "cpage"
PAGER_EACH_SIDE = 2  # pages linked on each side of this one, besides the first and the last


@dataclass
class Node:
    comment: Comment
    visible: bool
    own_pending: bool = False
    editable: bool = False
    reportable: bool = False  # published, and not this visitor's own
    replied_to_name: str = ""
    children: list["Node"] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.visible or any(child.shown for child in self.children)


@dataclass
class CommentSection:
    target: object
    label: str
    approved_count: int
    threads: list[Node]
    page_number: int
    page_count: int
    closed_reason: str
    replying_to: Comment | None = None
    form: object = None  # the form to join in, added by views.comment_section()

    @property
    def has_other_pages(self) -> bool:
        return self.page_count > 1

    @property
    def pager(self) -> list[int | None]:
        """The page numbers to link: the first, the last and a window around this page; None
        stands for the pages left out between them."""
        # Django's elided range, on one item per page: the threads are counted already.
        pages = Paginator(range(self.page_count), 1).get_elided_page_range(
            self.page_number, on_each_side=PAGER_EACH_SIDE, on_ends=1
        )
        return [None if number == Paginator.ELLIPSIS else number for number in pages]

    @property
    def previous_page_number(self) -> int | None:
        return self.page_number - 1 if self.page_number > 1 else None

    @property
    def next_page_number(self) -> int | None:
        return self.page_number + 1 if self.page_number < self.page_count else None


def visible_threads(target, request):
    """Top-level comments of `target` whose thread shows something to this visitor, in order."""
    user, own_guest_ids = request.user, own_comment_ids(request)
    has_visible_reply = Exists(
        Comment.objects.visible_to(user, own_guest_ids).filter(thread=OuterRef("pk"))
    )
    order = "-created_at" if settings.COMMENTS_NEWEST_FIRST else "created_at"
    return (
        Comment.objects.for_target(target)
        .filter(parent=None)
        .filter(visible_condition(user, own_guest_ids) | Q(has_visible_reply))
        .order_by(order, "pk")
    )


def page_of(comment: Comment, target, request) -> int:
    """The page of threads on which `comment` appears for this visitor."""
    root_id = comment.thread_id or comment.pk
    root = Comment.objects.only("created_at").get(pk=root_id)
    before = (
        Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
        if settings.COMMENTS_NEWEST_FIRST
        else Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk)
    )
    position = visible_threads(target, request).filter(before).count()
    return position // settings.COMMENTS_THREADS_PER_PAGE + 1


def section_of(target, request) -> CommentSection:
    """The comments of `target` that this visitor may read, for the page asked in ?cpage=, and
    the comment named by ?replytocom= (the reply link without JavaScript)."""
    per_page = settings.COMMENTS_THREADS_PER_PAGE
    threads = visible_threads(target, request)
    thread_count = threads.count()
    page_count = max(1, math.ceil(thread_count / per_page))
    try:
        page_number = min(max(int(request.GET.get(PAGE_PARAMETER, 1)), 1), page_count)
    except ValueError:
        page_number = 1
    start = (page_number - 1) * per_page
    root_ids = threads.values("pk")[start : start + per_page]
    comments = (
        Comment.objects.filter(Q(pk__in=root_ids) | Q(thread__in=root_ids))
        .select_related("user")
        .with_coach_flag()
        .annotate(shown=visible_condition(request.user, own_comment_ids(request)))
        .defer("body", "email", "ip_address", "user_agent", "reasons")
        .order_by("created_at", "pk")
    )
    section = CommentSection(
        target=target,
        label=target_label(target),
        approved_count=Comment.objects.for_target(target).approved().count(),
        threads=build_tree(
            comments,
            request.user,
            newest_first=settings.COMMENTS_NEWEST_FIRST,
            own_guest_ids=own_comment_ids(request),
        ),
        page_number=page_number,
        page_count=page_count,
        closed_reason=closed_reason(target),
    )
    section.replying_to = _reply_target(section.threads, request.GET.get("replytocom", ""))
    return section


def held_comments(target, request) -> list[Node]:
    """This guest's own comments on `target` awaiting moderation, which the shared copy of the
    page leaves out: replies (placed under their parent, if it is on the page) and the
    top-level ones that belong on the page of threads asked in ?cpage=."""
    own_guest_ids = own_comment_ids(request)
    if not own_guest_ids:
        return []
    try:
        page_number = max(int(request.GET.get(PAGE_PARAMETER, 1)), 1)
    except ValueError:
        page_number = 1
    held = (
        Comment.objects.for_target(target)
        .visible_to(AnonymousUser(), own_guest_ids)
        .exclude(approved_condition())
        .select_related("user")
        .with_coach_flag()
        .order_by("created_at", "pk")
    )
    return [
        Node(comment=comment, visible=True, own_pending=True)
        for comment in held
        if comment.parent_id or page_of(comment, target, request) == page_number
    ]


def _reply_target(threads: list[Node], value: str) -> Comment | None:
    """The comment named by ?replytocom= (the reply link without JavaScript), if shown here."""
    if not value.isdecimal():  # isdigit() accepts "²", which int() refuses
        return None
    stack = list(threads)
    while stack:
        node = stack.pop()
        if node.comment.pk == int(value) and node.comment.is_public:
            return node.comment
        stack.extend(node.children)
    return None


def build_tree(
    comments, user, *, newest_first: bool = False, own_guest_ids: list[int] = ()
) -> list[Node]:
    """Nest comments (oldest first within a thread) and drop hidden ones with nothing under."""
    now = timezone.now()
    own_guest_ids = list(own_guest_ids)
    nodes = {
        comment.pk: Node(
            comment=comment,
            visible=comment.shown,
            own_pending=comment.shown and not comment.is_public,
            editable=user.is_authenticated
            and comment.user_id == user.pk
            and comment.is_editable(now),
            reportable=comment.is_public and not comment.is_own(user, own_guest_ids),
        )
        for comment in comments
    }
    for node in nodes.values():
        comment = node.comment
        replied_to = nodes.get(comment.replied_to_id)
        if replied_to and replied_to.visible and comment.replied_to_id != comment.parent_id:
            node.replied_to_name = replied_to.comment.author_name
    roots: list[Node] = []
    for node in nodes.values():
        if node.comment.parent_id is None:
            roots.append(node)
        elif node.comment.parent_id in nodes:
            nodes[node.comment.parent_id].children.append(node)
    _prune(roots)
    roots = [node for node in roots if node.shown]
    if newest_first:
        roots.reverse()
    return roots


def _prune(nodes: list[Node]) -> None:
    for node in nodes:
        _prune(node.children)
        node.children = [child for child in node.children if child.shown]
