"""Stop words for matching claims, English and French: function words only (articles,
pronouns, prepositions, conjunctions, auxiliaries), folded (no accents).

Generic search lists drop far more -- ``million``, ``against``, ``higher``, ``opened``,
``number`` -- which are exactly the words a checkable claim turns on, so the matcher keeps its
own short lists.
"""

EN = frozenset("""
a an the this that these those there here it its it's itself he him his himself she her hers herself they them
their theirs themselves we us our ours ourselves you your yours yourself i me my mine myself who whom whose which
what whatever whichever when where why how
and or but nor so yet if then than as because while whereas although though unless until since whether
of to in on at by for with from into onto upon about over under above below between among amid through
during before after across along around against toward towards within without via per
is are was were be been being am has have had having do does did doing done will would shall should can could
may might must ought
also just only very too quite rather even still already again ever more most much many some any each every
all both either neither few several such own same other another
not no
s t d ll m re ve
""".split())

FR = frozenset("""
le la les l un une des du de d au aux ce cet cette ces c ceci cela ca celui celle ceux celles
il ils elle elles on lui leur leurs eux se s sa son ses me m te t mon ma mes ton ta tes notre nos votre vos
je j tu nous vous y en qui que qu quoi dont ou lequel laquelle lesquels lesquelles
et ou mais donc or ni car si comme lorsque lorsqu puisque puisqu quand alors ainsi
a à dans par pour sur sous avec sans chez vers entre contre depuis pendant selon apres avant
est sont etait etaient ete etre sera seront serait seraient soit sont suis es sommes etes
ai as avons avez ont avait avaient aura auront aurait auraient eu ayant
fait faire faisait font
aussi tres plus moins bien deja encore meme tout tous toute toutes autre autres certains certaines
ne n pas
""".split())

BY_LANG = {"en": EN, "fr": FR}
