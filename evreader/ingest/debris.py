"""Page debris: what a copied web page carries besides its article.

Navigation, share bars ("• Share • Read Later", "Share this: Facebook X
WhatsApp"), "icon to expand image", read-time and comment counts, newsletter
and subscription prompts, related-article lists, copyright lines, photo
credits and captions. Each rule is a general pattern of such furniture, never a
site's own wording; every regex is anchored and linear.
"""

from __future__ import annotations

import re

_SOCIAL = (r"facebook|x|twitter|linkedin|whatsapp|reddit|pinterest|email|e-mail|telegram|"
           r"flipboard|print|copy\s+link|mail|messenger|threads|bluesky|tweet|post|share")
_CHROME = re.compile(
    r"^(?:"
    r"skip\s+(?:to\s+)?(?:the\s+)?(?:main\s+)?(?:content|navigation|nav|menu|search|footer)"
    r"|member-only\s+story|members?\s+only|subscriber(?:s)?[- ]only(?:\s+story)?|paid\s+post"
    r"|(?:accept|reject|view|manage|allow)\s+(?:all\s+|additional\s+)?cookies(?:\s+\w+)?"
    r"|cookies?\s+on\s+.{1,40}"
    r"|.{0,120}\bcookies?\b.{0,120}\b(?:we\s+use|this\s+(?:web)?site|consent|accept|"
    r"preferences|settings|policy|improve)\b.{0,200}"
    r"|.{0,120}\b(?:we\s+use|this\s+(?:web)?site\s+uses)\b.{0,60}\bcookies?\b.{0,200}"
    r"|(?:sign\s+(?:in|up|out)|log\s*in|log\s*out|register|subscribe|menu|search|close|open)"
    r"|(?:share|print|email|save|bookmark|follow)(?:\s+(?:this|the|on|us|topic|article|story|"
    r"page|link|via))*(?:\s*[:|]?\s*(?:" + _SOCIAL + r")(?:\s*[\s,|•·]\s*(?:" + _SOCIAL + r"))*)?"
    r"|(?:[•·|]\s*)?share\s*[•·|]\s*read\s+later"
    r"|email\s+this\s+link|copy\s+link|read\s+later|listen\s+to\s+(?:this\s+)?article"
    r"|(?:" + _SOCIAL + r")(?:\s*\([^)]{0,30}\))?"
    r"|advertisement|advert|sponsored(?:\s+content)?|promoted|ad"
    r"|(?:read|see|show)\s+(?:more|less|full\s+(?:article|story))"
    r"|(?:related|recommended|more|latest|popular|trending|top)\s+(?:articles?|stories|news|"
    r"reads?|coverage|topics|links|content|videos?|posts?|from\s+[\w .]{1,30}|in\s+[\w .]{1,30})"
    r"|most\s+(?:read|popular|viewed|shared|watched)|you\s+may\s+also\s+like|also\s+read"
    r"|recommended\s+for\s+you|don'?t\s+miss|trending\s+now|editor'?s\s+picks?"
    r"|(?:\d+\s+)?comments?(?:\s*/\s*\d+\s+new)?|\|?\s*\d+\s+comments?(?:\s*/\s*\d+\s+new)?"
    r"|\d{1,3}\s*(?:min|mins|minute|minutes)\.?(?:\s+read)?|estimated\s+read(?:ing)?\s+time\b.*"
    r"|(?:reading|read)\s+time\b.*"
    r"|icon\s+to\s+expand\s+image|expand\s+image|view\s+(?:gallery|image|photos?)|enlarge"
    r"|item\s+\d+\s+of\s+\d+\b.*|\[\d+/\d+\].*"
    r"|purchase\s+licensing\s+rights.*|opens\s+new\s+tab"
    r"|text\s+size|font\s+size|aa|a\s*a|a-|a\+|listen|watch\s+live|live|watch"
    r"|key\s+points?|in\s+this\s+article|synopsis|summary|highlights|table\s+of\s+contents"
    r"|back\s+to\s+(?:all\s+)?(?:news|articles|stories|top|press\s+releases|newsroom|home)"
    r"|connect\s+with\s+us|follow\s+us(?:\s+on\s+.{1,40})?|contact\s+us|about\s+us"
    r"|for\s+subscribers|subscribers\s+only|premium|exclusive"
    r"|(?:sign\s+up|subscribe)\b.{0,120}(?:newsletter|inbox|updates|email|alerts).*"
    r"|(?:get|receive)\b.{0,80}(?:newsletter|delivered\s+to\s+your\s+inbox).*"
    r"|(?:©|\(c\)|copyright)\s.{0,160}|all\s+rights\s+reserved\.?"
    r"|.{0,80}\ball\s+rights\s+reserved\.?"
    r"|(?:image|photo|picture|graphic|video)s?\s*(?:credits?|source|courtesy)s?\s*:.{0,120}"
    r"|(?:image|photo|picture|credit|source|graphic)s?\s*:\s*\S.{0,80}"
    r"|[a-z .]{0,20}\bphotos?\s*:\s*\S.{0,80}"
    r"|(?:de|en|fr|es)(?:\s*\|\s*(?:de|en|fr|es))+"
    # a government site's banner: "An official website of the United States government"
    r"|an\s+official\s+(?:website|site)\s+of\s+.{1,60}|here'?s\s+how\s+you\s+know"
    # promotions: "Subscribe to X on YouTube", "Add X to your Google News feed",
    # "Download our app", affiliate disclosures, tip lines
    r"|(?:subscribe|follow|add|download|get|join|listen|watch|try|install)\b.{0,60}?"
    r"\b(?:newsletter|podcast|youtube|app|apps|feed|google\s+news|pro|premium|channel|"
    r"alerts|telegram|whatsapp|inbox|terminal|briefing)\b.{0,80}"
    r"|(?:ftc|disclosure|disclaimer|affiliate\s+disclosure)\s*:.{0,160}"
    r"|.{0,60}\b(?:confidential\s+tip|news\s+tip|got\s+a\s+tip|learn\s+more)\b.{0,80}"
    r"|the\s+post\s+.{1,240}\s+appeared\s+first\s+on\s+.{1,80}"
    r"|(?:topics?(?:\s+covered)?|tags?|filed\s+under|categor(?:y|ies)|keywords|more\s+on)\s*:.{0,200}"
    r"|this\s+(?:article|story|page)\s+is\s+(?:more\s+than|over)\s+\w+\s+\w+\s+old"
    r"|(?:published|updated|posted|modified)?\s*(?:\d+|an?|one)\s+(?:seconds?|minutes?|mins?|"
    r"hours?|hrs?|days?|weeks?)\s+ago"
    r"|why\s+you\s+can\s+trust\s+.{1,40}|page\s+contents|quote\(s\)|related\s+documents"
    r"|\d+(?:\.\d+)?\s*(?:usd|eur|%)|[+-]?\d+(?:\.\d+)?%|\d{1,2}:\d\d"
    r")[\s.:!]*$",
    re.I,
)
_BREADCRUMB = re.compile(r"^(?:[\w&.'’\- ]{1,40}?\s*[>»›/]\s*){1,8}[\w&.'’\- ]{1,40}$")
_IMAGE_NAME = re.compile(
    r"(?<![\w/.-])[\w-]{1,120}\.(?:png|jpe?g|gif|webp|svg|bmp|tiff?|avif)(?![\w.])", re.I)
_IMAGE_HINT = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|bmp|tiff?|avif)(?![\w.])", re.I)
# A caption's credit at its end: "(WBTV)", "[SAMSUNG SDI]", "REUTERS/Kim Kyung-Hoon/File
# Photo", "(Photo by …)", "— Photo courtesy of VinFast", "[Photo/VCG]", "© Ricardo S".
_CREDIT_AT_END = re.compile(
    r"(?:\((?:[A-Z][\w&.'’ -]{1,40}|photo\b[^)]{0,60}|image\b[^)]{0,60}|file\s+photo[^)]{0,40})"
    r"\.?\)"
    r"|\[(?:[A-Z][A-Z0-9&.'’ /-]{1,40}|photo[^\]]{0,40})\]"
    r"|\b[A-Z]{3,}(?:\s[A-Z]{2,})?/[\w .'’/-]{2,80}"
    r"|(?:[-—–]\s*)?\bphoto\s+(?:by|courtesy\s+of|credit)\b.{1,80}"
    r"|(?:[-—–]\s*)?\b(?:image|photo|pic|picture|credit)\s*:\s*\S.{0,60}"
    r"|©.{1,80}"
    r"|\s\|\s*[A-Z][\w&.'’ /-]{1,40}"
    r"|(?:[A-Z][\w.'’-]*\s){1,3}/\s*[A-Z][\w&.'’ -]{1,40})"
    r"\s*(?:purchase\s+licensing\s+rights.*)?$", re.I)
# A photo credit alone on its line: "Michael Clevenger/Courier Journal/USA Today Network",
# "AFP/Getty Images", "REUTERS", "AP Photo/Jane Doe".
_CREDIT_SLASHED = re.compile(r"^[A-Z][\w.'’ &-]{0,50}/[A-Z][\w.'’ &/-]{0,120}$")
_AGENCIES = frozenset("getty afp reuters ap shutterstock epa xinhua yonhap bloomberg".split())
_CREDIT_AGENCY = re.compile(
    r"^(?:getty\s+images|afp|reuters|ap|ap\s+photo|shutterstock|epa|xinhua|yonhap|bloomberg)"
    r"(?:\s*/\s*[\w .'’-]{1,40})?$", re.I)
_GLUED_CREDIT = re.compile(r"(?<=[.!?”\"])\s+(?:image|photo|credit)s?\s*:\s+", re.I)


# Every pattern of _CHROME starts with one of these words or signs, or holds one of
# the markers: a line with neither is not tried against the whole pattern.
_LEADS = frozenset(
    "skip sign log login logout register subscribe menu search close open share print email "
    "e-mail save bookmark follow copy read listen advertisement advert sponsored promoted ad "
    "see show related recommended more latest popular trending top most you also don't dont "
    "editor's editors comment comments estimated reading icon expand view enlarge item "
    "purchase opens text font aa a a- a+ live watch key in synopsis summary highlights table "
    "back connect contact about for subscribers premium exclusive get receive © (c) copyright "
    "all image images photo photos picture pictures graphic graphics video videos credit "
    "credits source sources de en fr es topic topics tags tag filed category categories "
    "keywords this published updated posted modified why page quote(s) the add download join "
    "try install ftc disclosure disclaimer affiliate got an one facebook x twitter linkedin "
    "here's heres "
    "member members member-only members-only subscriber subscribers subscriber-only paid "
    "accept reject manage allow cookie cookies we "
    "whatsapp reddit pinterest telegram flipboard mail messenger threads bluesky tweet post "
    "|".split())
_MARKERS = ("©", "rights reserved", "photo", "tip", "learn more", "|", "•", "·", "%", "usd",
            "eur", ">", "»", "›", "[", ":", "cookie")


def is_chrome(line: str) -> bool:
    """A whole line that is page furniture, not news text."""
    s = line.strip()
    if not s or len(s) > 240:
        return False
    low = s.lower()
    first = low.split(None, 1)[0].strip(":•·|[]")
    if (first in _LEADS or first[:1].isdigit() or any(m in low for m in _MARKERS)) \
            and _CHROME.match(s):
        return True
    if ">" in s or "»" in s or "›" in s:
        return bool(_BREADCRUMB.match(s)) and len(s.split()) <= 12
    return bool(_IMAGE_NAME.fullmatch(s))


def is_breadcrumb(line: str) -> bool:
    s = line.strip()
    return len(s) <= 160 and any(c in s for c in "/>»›") and bool(_BREADCRUMB.match(s))


def is_credit(line: str) -> bool:
    """A photo credit on its own line ("Image: Rivian", "AFP/Getty Images")."""
    s = line.strip()
    if not s or len(s) > 120:
        return False
    if "/" in s and s.count(" ") <= 12 and _CREDIT_SLASHED.match(s):
        return True
    if s.split(None, 1)[0].lower().strip(":") in _AGENCIES and _CREDIT_AGENCY.match(s):
        return True
    return ":" in s and s.split(":")[0].lower().rstrip("s").strip() in (
        "image", "photo", "credit", "image credit", "photo credit", "source", "picture") \
        and bool(_CHROME.match(s))


_CREDIT_SIGNS = ("(", "[", "/", "©", ":", "hoto", "HOTO")


def has_credit_at_end(line: str) -> bool:
    """A caption: a line that ends with a photo credit (read in its last 160
    characters; a credit always shows one of a few signs, tested first)."""
    s = line.strip()
    if len(s) > 400:
        return False
    tail = s[-160:]
    return any(c in tail for c in _CREDIT_SIGNS) and _CREDIT_AT_END.search(tail) is not None


def strip_glued_credit(paragraph: str) -> str:
    """"… said on Tuesday. Image: Hyundai Motor Hyundai Motor Co. and …": a caption's
    credit glued into a paragraph goes, up to where the text says the credit again
    (or just its label when it does not)."""
    if ": " not in paragraph:  # the pattern needs one: most paragraphs have none
        return paragraph
    m = _GLUED_CREDIT.search(paragraph)
    if m is None:
        return paragraph
    rest = paragraph[m.end():]
    words = rest.split(" ", 6)
    for k in range(1, min(5, len(words))):
        credit = " ".join(words[:k])
        if rest.startswith(credit + " " + credit) or \
                (rest.startswith(credit + " " + words[0]) and words[k] == words[0]):
            return paragraph[:m.start()] + " " + rest[len(credit) + 1:]
    return paragraph[:m.start()] + " " + rest


def may_name_images(text: str) -> bool:
    """False when `text` has no image file name anywhere (a whole-file shortcut)."""
    return "." in text and _IMAGE_HINT.search(text) is not None


def strip_image_names(text: str) -> str:
    """Remove stray image file names such as "s_225cf….png" left by scrapers."""
    if not may_name_images(text):
        return text
    out = _IMAGE_NAME.sub("", text)
    if out == text:
        return text
    return re.sub(r"[^\S\n]{2,}", " ", out).strip()
