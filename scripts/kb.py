#!/usr/bin/env python3
"""意识形态工作报告知识库的命令行入口。

  python scripts/kb.py generate            由 sources/ 生成 docs/ 下的知识库页面
  python scripts/kb.py generate --strict   有任何问题（警告或错误）时以退出码 1 结束
  python scripts/kb.py check 草稿.docx      按自查清单检查草稿（--json 输出 JSON；退出码 0 齐备，1 有待完善项，2 无法读取）
  python scripts/kb.py add 文件…           把报告复制进 sources/（安全文件名，拒绝重复）
  python scripts/kb.py outline -o 提纲.docx  由范例报告生成按公文格式排版的推荐提纲
  python scripts/kb.py compare A B         对比两篇报告（新增与不再出现的问题、措施，逐字相同的句子）

退出码：0 成功；1 --strict 下存在问题，或 add 有文件未添加；2 用法或数据文件错误。
The commands live in ``reportkb.cli``; this file only starts them.
"""

from __future__ import annotations

import sys

from reportkb.cli import main

if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head/less that quit early
        sys.stderr.close()
        sys.exit(0)
