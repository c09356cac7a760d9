"""The draft checker, in the same floors as the rest: ``contract`` (the spec and the verdict shared with
``docs/assets/checker-rules.js``, and the gap codes), ``spec`` (built at render time), ``rules`` (the engine,
``check(text, spec)``), ``pairing`` (problems with measures, causes with problems) and ``verdict`` (the
checklist as text). The command is ``reportkb.cli.check``."""
