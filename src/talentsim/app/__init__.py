"""``talentsim app``: a local web app (Solara) to build a scenario from the plan's measures and compare it.

Modules: :mod:`~talentsim.app.levers` (the twelve measures as the form shows them),
:mod:`~talentsim.app.form` (the form's state and the scenario it builds, validated as files are),
:mod:`~talentsim.app.runner` (runs in a background process, with progress, cancel and a cached
baseline), :mod:`~talentsim.app.views` (tables, figures and the tile map from result folders),
:mod:`~talentsim.app.words` (the page's words in English and Chinese) and
:mod:`~talentsim.app.page` (the Solara page). Only ``page`` and ``serve`` import Solara.
"""
