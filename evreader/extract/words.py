"""Words the rules for people and discovered companies share.

Capitalised words that start sentences, name days, months and nationalities,
or describe a company rather than name it: none of them is a person's name, and
none starts or sits inside a discovered company's name.
"""

from __future__ import annotations

STOPWORDS = frozenset(
    "The A An This That These Those Its It He She They We Our Their His Her In On At For "
    "With From By As And But Or Of To If When While After Before Since Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December Chinese Japanese Korean American European "
    "German Global North South East West Both Some Many Most Other Such Startup Start-up "
    "Automaker Carmaker Firm Supplier Company Maker Manufacturer Rival Partner".split()
)
ORG_WORDS = frozenset(
    "New Group Motor Motors Company Corporation Inc Ltd Co Electric Auto Energy Technology "
    "Technologies Holdings Research Institute University Network News Team Editorial Staff "
    "Desk Reporters Government Ministry Minister Officer Executive Bank Capital".split()
)
NOT_NAME_WORDS = STOPWORDS | ORG_WORDS
