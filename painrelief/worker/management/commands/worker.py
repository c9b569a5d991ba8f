from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from painrelief.worker import schedule


class Command(DatabaseWorker):
    help = (
        "The task worker: queues the periodic jobs (PERIODIC_TASKS) that have no run waiting, "
        "then runs tasks as django-tasks-db's db_worker does (same options)."
    )

    def handle(self, *args, **options):
        for name in schedule.start():
            self.stdout.write(f"Scheduled {name}")
        super().handle(*args, **options)
