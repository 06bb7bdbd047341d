"""arena: the Django site where teams compose, judges score and organisers publish.

It never imports torch: generation runs in the Celery workers of `tasks`, which call `composer`.
"""
