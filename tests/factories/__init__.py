"""factory_boy factories, one module per app (`tests.factories.<app>`), for tests that need a few
rows rather than the whole demo. Rows that carry an invariant (a confirmed e-mail, a team's first
member, a melody composer has read) are made through the app's services, as the site makes them.
"""
