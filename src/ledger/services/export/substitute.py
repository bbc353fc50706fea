"""One repair to citeproc-py: a variable that stands in for a missing author is not printed twice.

CSL 1.0.2 (``cs:substitute``): "Substituted variables are suppressed in the rest of the output to
prevent duplication." citeproc-py 0.11 suppresses a substitute only when it is itself a plain
``<text variable=…>``; most styles (APA, Chicago, MLA, Harvard) substitute through a macro or a
``choose``, so a source with no author printed its title twice — and with it anything the title
macro carries, such as the medium. The repair records which variables the substitute actually
rendered and adds each of them to the entry's suppressed list, as the specification says.

``install()`` is idempotent and called before any style renders (``citations.load_style``).
"""

from __future__ import annotations

from typing import Any

_MARK = "_ledger_substitute_repair"


def install() -> None:
    from citeproc.model import Substitute, Text

    if getattr(Substitute.render, _MARK, False):
        return
    variable = Text._variable

    def _variable(self: Any, item: Any, context: Any) -> Any:
        text = variable(self, item, context)
        seen = getattr(context.get_layout(), _MARK, None)
        if seen is not None and text:
            seen.append((self.tag, self.get("variable")))
        return text

    def render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        from citeproc.model import Names, VariableError

        layout = context.get_layout()
        outer = getattr(layout, _MARK, None)
        text = None
        for child in self.getchildren():
            setattr(layout, _MARK, [])
            try:
                if isinstance(child, Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except VariableError:
                continue
            if text:
                self.add_to_repressed_list(child, context)
                for tag, name in getattr(layout, _MARK):
                    layout.repressed.setdefault(tag, []).append(name)
                break
        seen = getattr(layout, _MARK)
        setattr(layout, _MARK, outer)
        if outer is not None and text:  # a substitute inside a substitute: the outer one suppresses too
            outer.extend(seen)
        return text

    setattr(render, _MARK, True)
    Text._variable = _variable
    Substitute.render = render
