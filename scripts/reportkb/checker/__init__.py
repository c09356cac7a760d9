"""The draft checker, in the same floors as the rest: ``contract`` (the spec and the verdict shared with
``docs/assets/checker.js``, and the gap codes), ``spec`` (built at render time), ``rules`` (the engine,
``check(text, spec)``) and ``verdict`` (the checklist as text). The command is ``reportkb.cli.check``."""
