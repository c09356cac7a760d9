"""MkDocs hook: run the same generation as ``kb.py generate`` before every build.

Named in mkdocs.yml (``hooks:``); the code is ``reportkb.cli.mkdocs_hook``.
"""

from __future__ import annotations

from reportkb.cli.mkdocs_hook import (
    on_build_error,
    on_config,
    on_env,
    on_files,
    on_nav,
    on_page_content,
    on_page_markdown,
    on_post_build,
    on_post_template,
    on_serve,
    on_startup,
)

__all__ = ["on_build_error", "on_config", "on_env", "on_files", "on_nav", "on_page_content", "on_page_markdown", "on_post_build",
           "on_post_template", "on_serve", "on_startup"]
