"""reportkb: turn 意识形态工作 reports into a MkDocs knowledge base.

Stages, one module each: ingest → clean → parse → annotate → link → render
→ write; ``pipeline`` chains them and ``checker`` checks a draft against the
same data.
"""
