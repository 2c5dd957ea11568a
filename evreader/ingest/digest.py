"""A digest: one brief per line, as a newsletter or a headline listing gives them.

Each line decides for itself whether it ends with a writer's credit ("… in
the short term. Ian Henry") and whether it starts with a headline run into its
standfirst ("Polestar starts US production of the Polestar 3 Polestar has
started production of its Polestar 3 SUV at …"): the headline ends where a new
clause starts, at a capitalised word after a lower-case one, most surely when
the standfirst names the headline's subject again, or starts with a verb near
its start or with a word that opens sentences. A file where most lines split
so is a headline listing, and its other lines may split on weaker evidence; a
pile of plain briefs ("Taiwanese electric vehicle maker Aeon Motor has begun
…") keeps its lines whole, and their titles come from their first sentence. A
headline may carry its date in brackets before a colon ("Headline (Nov 14,
2024): brief").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from evreader.ingest import known
from evreader.ingest.bylines import is_person_name
from evreader.ingest.dates import date_line, dates_in

_FUNCTION_WORDS = frozenset(
    "a an the of in on at to for from with by as and or but nor than that which who whom "
    "when while where whose because if since although though unless until whether "
    "its their his her our your my this these those into onto over under about after before "
    "between among via per vs versus like near said says say told".split())
_VERB_STEMS = (
    "say aim plan want look start begin launch unveil announce report expect open build add "
    "cut raise see make take get give set move sign win need face join buy sell invest eye "
    "target seek pledge remain warn vow weigh consider mull hit top near slip fall rise jump "
    "drop deliver ship post confirm deny back lead lift boost double triple pause resume "
    "delay scrap expand shrink file sue settle agree approve reject ban block allow require "
    "urge call ask tell show find hope keep hold turn use put run head push pull bet tap pick "
    "name hire let gain lose reach break close shut idle halt slash trim lower fold merge "
    "acquire list spin partner team struggle plunge soar surge tumble climb restart ramp "
    "rebalance shift explain strain").split()
_VERBS = frozenset(
    "is are was were be been being has have had will would can could may might must shall "
    "should do does did said began built cut set won bought sold saw made took got gave "
    "found held ran put led fell rose hit shut isn't aren't won't can't".split()
    + _VERB_STEMS + [v + ("es" if v.endswith(("sh", "ch", "ss", "x")) else "s")
                     for v in _VERB_STEMS]
    + [v + ("d" if v.endswith("e") else "ed") for v in _VERB_STEMS])
_CLAUSE_STARTERS = frozenset(
    "The A An This These Those It Its They We He She With As After Before Despite While "
    "When Since From For In On At By Under Over Amid Following One Two Three Four Five "
    "Some Many Most All Both Several Industry Experts Speakers".split())
_LEAD = re.compile(r"^[A-Z][\w’'&.-]*,?$")
_SENTENCE_END = re.compile(r"[.!?…](?:[\"”’')\]]*)(?=\s+[\"“‘(\[]?[A-Z0-9]|\s*$)")


@dataclass(frozen=True, slots=True)
class Brief:
    body: str
    title: str | None  # the headline, when the line starts with one
    authors: list[str]
    published: date | None = None  # a date the line opens with, or a table's date cell
    publisher: str | None = None  # a source the line credits: "(Reuters)", a table's cell


class _Line(NamedTuple):
    """A digest line without what frames it: a list number, a section label, a
    leading date, a trailing source credit, or a table row's other cells."""

    text: str
    title: str | None
    published: date | None
    publisher: str | None


def read_digest(lines: list[str]) -> list[Brief]:
    """One brief per non-empty line (debris lines are dropped by the caller)."""
    framed = [_unframe(line) for line in lines]
    lines = [f.text for f in framed]
    credited = [_credit(line) for line in lines]
    texts = [line[:len(line) - len(c[1]) - 1].rstrip() if c else line
             for line, c in zip(lines, credited, strict=True)]
    splits = [_best_split(text) for text in texts]
    listing = sum(1 for s in splits if s is not None and s[2] >= 4) * 5 >= 2 * len(lines) >= 4
    briefs: list[Brief] = []
    for frame, text, split, credit in zip(framed, texts, splits, credited, strict=True):
        authors = [credit[1]] if credit else []
        if frame.title is not None:
            briefs.append(Brief(text, frame.title, authors, frame.published, frame.publisher))
        elif split is not None and split[2] >= (2 if listing else 7):
            briefs.append(Brief(text[split[1]:].strip(), text[:split[0]].strip(), authors,
                                frame.published, frame.publisher))
        else:
            briefs.append(Brief(text, None, authors, frame.published, frame.publisher))
    return briefs


_NUMBER = re.compile(r"^(?:\d{1,3}[.)]|#\d{1,3}|[•*▪►-])\s+")  # "1. ", "2) ", "#3 ", "• "
_LABEL = re.compile(r"^\[[^\[\]]{1,30}\]\s*")  # "[Batteries] "
_FRAME_BAR = re.compile(r"\s*(?:·|•|\||—|–|-|:)\s*")
_SOURCE_CREDIT = re.compile(r"\s*\(([^()]{2,40})\)\s*$")  # "… (Reuters)"
_CELL = re.compile(r"\s\|\s")
# "Headline (Nov 14, 2024): brief": a dated headline before a colon.
_DATED_HEAD = re.compile(r"(?P<title>[^()]{8,200}?)[ ]\((?P<date>[^()]{6,40})\):[ ]+")



def _unframe(line: str) -> _Line:
    """What frames a digest line, taken off it (see `_Line`)."""
    cells = _CELL.split(line)
    if len(cells) >= 3:
        return _table_row([c.strip() for c in cells])
    text = _LABEL.sub("", _NUMBER.sub("", line, count=1), count=1)
    dated = _DATED_HEAD.match(text)
    if dated is not None and (when := date_line(dated.group("date"))) is not None:
        return _Line(text[dated.end():], dated.group("title").strip(), when.published, None)
    published = None
    found = dates_in(text[:40])
    if found and found[0].start == 0:
        rest = _FRAME_BAR.match(text, found[0].end)
        if rest is not None:
            published, text = found[0].when, text[rest.end():]
    publisher = None
    credit = _SOURCE_CREDIT.search(text)
    if credit is not None and credit.group(1).strip().lower() in known.media():
        publisher = known.media()[credit.group(1).strip().lower()]
        text = text[:credit.start()].rstrip()
    return _Line(text, None, published, publisher)


def _table_row(cells: list[str]) -> _Line:
    """A row of a table copied as text ("Headline | Source | Feb 6, 2023 | Summary"):
    the longest cell is the body, the first other cell the headline, a date cell the
    publication date, a short cell left over the source."""
    body = max(cells, key=len)
    published = None
    rest = []
    for cell in cells:
        if cell is body:
            continue
        when = date_line(cell) if len(cell) <= 60 else None
        if when is not None and published is None:
            published = when.published
        else:
            rest.append(cell)
    title = rest[0] if rest and len(rest[0].split()) >= 3 else None
    source = next((c for c in rest[1 if title else 0:] if 0 < len(c.split()) <= 5), None)
    if title is None:
        return _Line(" | ".join(c for c in cells if c is not body) + " | " + body
                     if len(rest) > 1 else body, None, published, source)
    return _Line(body, title, published, source)


def _credit(line: str) -> tuple[str, str] | None:
    """("…sentence.", "Author Name") when the line ends with a writer's credit: a
    name after the sentence's end, or after a lower-case word that is not one
    a sentence would put before a name ("in", "said")."""
    words = line[-80:].split(" ")
    for count in (2, 3):
        if len(words) <= count + 1:
            return None
        name = " ".join(words[-count:])
        before = words[-count - 1]
        if not before or not is_person_name(name) or any(not w[:1].isupper() for w in
                                                         words[-count:]):
            continue
        if before[-1] in ".!?”\"’)":
            return line[:-len(name)].rstrip(), name
        if before.isalpha() and before.islower() and before not in _FUNCTION_WORDS:
            return line[:-len(name)].rstrip(), name
    return None


def _best_split(text: str) -> tuple[int, int, int] | None:
    """(title end, body start, score) of the likeliest end of a headline run into its standfirst,
    within the line's first sentence; None when there is no candidate.

    A dash or a bar between them ("… slows — The Nevada company …") settles it.
    A Title Case headline ends where sentence case starts ("… A Year Brandenburg's
    environment ministry …"). Otherwise the standfirst starts a sentence, so the
    split is at the first word of a run of capitalised words ("… bill | California
    Governor Gavin Newsom signed …"), unless that run follows a preposition: then
    its first word still belongs to the headline ("… in Louisville | Ford will
    …") and the split is at a word of the run that names the headline's subject
    again or is a possessive ("… in Korea | Hyundai's luxury brand …"), or follows a
    place the gazetteer knows ("… in the US | Contemporary Amperex lets …").
    Candidates score by how much the standfirst reads as a sentence's start: its
    subject named again, a verb soon after, a subject of names (or "The …") then
    its verb. A description before a name is not a headline ("Taiwanese electric
    vehicle maker | Aeon Motor"), and one before the headline's subject named again
    goes with the standfirst ("… | Chinese lithium miner Ganfeng Lithium says").
    """
    end = _first_sentence_end(text)
    if end is None:
        return None
    for bar in _SEPARATOR.finditer(text, 0, min(end, 240)):
        # "Korea: the switch …", "Day 1 Wrap Up: Learning …": a short kicker's colon is
        # the headline's own
        if len(text[:bar.start()].split()) >= (6 if bar.group().startswith(":") else 3):
            return bar.start(), bar.end(), 9
    spans = list(re.finditer(r"\S+", text[:end]))
    words = [m.group() for m in spans]
    title_case = _title_case_end(words)
    if title_case is not None:
        return spans[title_case].start(), spans[title_case].start(), 6
    picks: list[int] = []
    k = 0
    while k < len(words):
        if not _LEAD.match(words[k]):
            k += 1
            continue
        run_end = k
        while run_end + 1 < len(words) and (
                _LEAD.match(words[run_end + 1])
                or (words[run_end + 1] in _NAME_PARTICLES and run_end + 2 < len(words)
                    and _LEAD.match(words[run_end + 2]))):
            run_end += 1  # "Luca de Meo", "Ursula von der Leyen": one run
        pick = _pick_in_run(words, k, run_end)
        if pick is not None and 3 <= pick <= len(words) - 3:
            picks.append(pick)
        k = run_end + 1
    best: tuple[int, int, int] | None = None
    for n, pick in enumerate(picks):
        score = _score(words, pick)
        # A verb between an earlier candidate and this one: the standfirst's
        # sentence may have started ("Hungary is set to host … when CATL's …").
        if n and any(_verbish(w) for w in words[picks[0] + 1:pick]):
            score -= 3
        if n and all(_LEAD.match(w) or w in ("and", "&") for w in words[picks[n - 1]:pick]):
            continue  # "Polestar's Dennis Nobelius and | Atlas Copco's Lars Eklof discuss":
            # a name joined to the earlier candidate's, one subject
        if best is None or score > best[2]:
            at = spans[_descriptor_start(words, pick)].start()
            best = (at, at, score)
    return best


# What a company is, as a description before its name ("battery recycler Li-Cycle").
_KINDS = frozenset(
    "brand brands maker makers carmaker carmakers automaker automakers miner miners recycler "
    "supplier suppliers company firm startup start-up developer producer manufacturer giant "
    "unit subsidiary rival operator group chipmaker refiner owner".split())


def _descriptor_start(words: list[str], pick: int) -> int:
    """A standfirst that names the headline's subject again often describes it first
    ("… in Argentina | Chinese lithium miner Ganfeng Lithium says …", "… from 2027 |
    Toyota's luxury brand Lexus will …", "… protection | Battery recycler Li-Cycle
    …"): the split moves back over the description (words ending in what the
    company is) to its first word, unless that word is a name the gazetteer knows."""
    if not _repeats_subject(words[pick], words[:pick]) or words[pick - 1] not in _KINDS:
        return pick
    for k in range(pick - 1, max(2, pick - 5), -1):
        word = words[k]
        if word[:1].isupper():
            if k == pick - 1:
                return pick
            low = word.lower().strip(",")
            name = low in known.things() and low not in known.demonyms()
            return k if _possessive(word) or not name else pick
        if not word.isalpha() or word in _FUNCTION_WORDS:
            return pick
    return pick


_SEPARATOR = re.compile(r"\s(?:—|–|--|-|\|)\s(?=[\"“‘(]?[A-Z0-9])|:\s(?=[\"“‘(]?[A-Z])")
# then a sentence starts
_SMALL = frozenset("a an the and or of in on at to for by with as vs via from into over".split())


def _title_case_end(words: list[str]) -> int | None:
    """Where a Title Case headline ends and a sentence-case standfirst starts: the
    subject of the first clause in sentence case (a possessive, "The", a number,
    the headline's subject named again, or the capitalised word just before)."""
    lead = [w for w in words[:6] if w.lower() not in _SMALL]
    if len(lead) < 4 or not all(w[:1].isupper() or w[:1].isdigit() or w[:1] in "$£€"
                                for w in lead):
        return None
    # Title Case capitalises the headline's verb too ("… Gets Approval …"); names alone
    # ("China: European, US and Japanese Vehicle Manufacturers rebalance …") are not it.
    if not any(w[:1].isupper() and w.lower().strip(",.:") in _VERBS for w in words[1:12]):
        return None
    first = next((i for i in range(4, len(words)) if words[i][:1].islower()
                  and words[i].lower() not in _SMALL), None)
    if first is None:
        return None
    back = range(first - 1, max(2, first - 5), -1)
    for i in back:
        if _repeats_subject(words[i], words[:i]) or _possessive(words[i]):
            return i
    for i in back:
        if words[i] in _CLAUSE_STARTERS or words[i][:1].isdigit():
            return i if i < first else None
    things = known.things()
    for size in (4, 3, 2):  # "… Are Now Chevrolets | General Motors folded …"
        start = first - size
        if start >= 3 and " ".join(words[start:first]).lower().strip(",") in things:
            return start
    return first - 1 if first - 1 >= 3 and words[first - 1][:1].isupper() else None


def _verbish(word: str) -> bool:
    """A common news verb or auxiliary ("eyes", "says", "will"), lower-case."""
    return word[:1].islower() and word.lower().strip(",.;:") in _VERBS


# Lower-case words inside a person's name ("Luca de Meo"), and words of direction before
# a place ("in northern France | Luca de Meo …"), which read as a preposition does.
_NAME_PARTICLES = frozenset("de da di du del della van von der den ter bin al la le".split())
_DIRECTIONS = frozenset("northern southern eastern western central north south east west "
                        "northeastern northwestern southeastern southwestern".split())


def _pick_in_run(words: list[str], first: int, last: int) -> int | None:
    if first == 0:
        return None
    before = words[first - 1]
    if before[-1] in ",:;–—-(" or _possessive(before):
        return None
    if before.lower() not in _FUNCTION_WORDS and before.lower() not in _DIRECTIONS:
        return first
    head = words[:first]
    found = next((k for k in range(first + 1, last + 1)
                  if _possessive(words[k]) or _repeats_subject(words[k], head)), None)
    if found is not None:
        return found
    # "… in the US | Contemporary Amperex lets …": the preposition's object is a place
    # the gazetteer knows (not a demonym: "… and Japanese Vehicle Manufacturers"); the
    # run's next word starts the standfirst.
    things, adjectives = known.things(), known.demonyms()
    for size in (3, 2, 1):
        name = " ".join(words[first:first + size]).lower().strip(",")
        if first + size <= last and name in things and name not in adjectives:
            return first + size
    return None


def _score(words: list[str], pick: int) -> int:
    head, word = words[:pick], words[pick]
    if head[-1] in _KINDS and not _repeats_subject(word, head) and not any(
            _verbish(w) or w == "to" or w.endswith(":") for w in head):
        return 0  # "Taiwanese electric vehicle maker | Aeon Motor has …": a description
    score = 1
    if _repeats_subject(word, head):
        score += 3
    # The standfirst's subject is soon followed by its verb ("Company says …",
    # "LGES to supply …"): the nearer, the likelier.
    near = next((d for d, w in enumerate(words[pick + 1:pick + 6], start=1)
                 if (_verbish(w) or (w == "to" and d <= 2))
                 and not words[pick + d - 1][:1].isdigit()), None)  # "4680 plans": a noun
    if near is not None:
        score += 3 if near <= 2 else 2 if near == 3 else 1
    if _subject_then_verb(words, pick):
        score += 3
    if word in _CLAUSE_STARTERS or _possessive(word):
        score += 2
    if 4 <= len(head) <= 20:
        score += 1
    if any(_possessive(w) for w in head[-3:]):
        score -= 3  # "… Toyota's luxury brand | Lexus will": the possessive's phrase goes on
    return score


_DETERMINERS = frozenset("The A An Its This These Their".split())


def _subject_then_verb(words: list[str], pick: int) -> bool:
    """The standfirst opens as a sentence does: a subject, then its verb. The
    subject is a run of names ("Changan, GAC Aion and Great Wall Motor face", "Ultium
    CAM, a joint venture of the two companies, will") or a determiner's phrase ("The
    US company will")."""
    k = pick
    if words[k] in _DETERMINERS:
        return any(_verbish(w) for w in words[k + 1:k + 5])
    while k < len(words) and k - pick < 8 and (_LEAD.match(words[k]) or words[k] in ("and", "&")):
        k += 1
        if words[k - 1].endswith(",") and k < len(words) and words[k][:1].islower() \
                and words[k] != "and":  # an apposition, up to its closing comma
            close = next((j for j in range(k, min(k + 12, len(words))) if words[j].endswith(",")),
                         None)
            if close is None:
                return False
            k = close + 1
            break
    return k > pick and k < len(words) and _verbish(words[k])


def _possessive(word: str) -> bool:
    return word.endswith(("’s", "'s", "s’", "s'")) and len(word) > 3


def _repeats_subject(word: str, head: list[str]) -> bool:
    """The standfirst's first word names what the headline named ("Korean" after
    "Korea:", "Polestar" after "Polestar")."""
    stem = re.sub(r"(?:’s|'s|n|an|ese|ean)$", "", word.lower())[:6]
    subject = head[:max(3, (len(head) * 3 + 4) // 5)]  # where a headline names its subject
    return len(stem) >= 3 and any(h.lower().startswith(stem) for h in subject)


def _first_sentence_end(text: str) -> int | None:
    for m in _SENTENCE_END.finditer(text, 0, min(len(text), 1200)):
        before = text[max(0, m.start() - 6):m.start()].split()[-1:] or [""]
        if re.fullmatch(r"(?:Co|Corp|Inc|Ltd|Mr|Ms|Mrs|Dr|St|No|U\.S|[A-Z])", before[0]):
            continue
        return m.start()
    return len(text) if len(text) <= 600 else None
