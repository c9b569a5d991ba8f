from django import template

from painrelief.worker import retries

register = template.Library()


@register.simple_tag(takes_context=True)
def tasks_given_up(context) -> dict:
    """How many tasks were given up on and what they were doing, for the admin index's alert
    to the staff: only the tasks' names (their arguments are for who may see the task list)."""
    if not context["request"].user.is_staff:
        return {}
    failed = retries.given_up()
    names = sorted({result.task_name.replace("_", " ") for result in failed})
    return {"count": len(failed), "names": names} if failed else {}
