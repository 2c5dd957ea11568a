"""Feed documents of each format, written for the tests."""

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>EV Wire</title><link>https://ev.example/</link>
<item><title>Nissan and Foxconn talk Oppama</title><link>https://ev.example/a1</link>
<guid>ev-1</guid><pubDate>Sat, 16 Mar 2024 09:48:00 GMT</pubDate><author>jo@ev.example (Jo Reporter)</author>
<description><![CDATA[<p>Nissan is in talks with <b>Foxconn</b> in Japan.</p><script>alert(1)</script><p>Second paragraph.</p>]]></description></item>
<item><title>CATL expands in Hungary</title><link>https://ev.example/a2</link><guid>ev-2</guid>
<description>CATL builds a battery plant in Debrecen.</description></item>
</channel></rss>"""

RSS091 = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link><description>d</description>
<item><title>BYD in Brazil</title><link>https://old.example/1</link><description>BYD opens a plant in Brazil.</description></item>
</channel></rss>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link><description>d</description></channel>
<item rdf:about="https://rdf.example/1"><title>Tesla in Austin</title><link>https://rdf.example/1</link>
<description>Tesla launched robotaxis in Austin, Texas.</description><dc:date>2025-06-22</dc:date><dc:creator>Ann Lee</dc:creator></item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom EV</title><id>urn:atom-ev</id><updated>2024-05-01T00:00:00Z</updated>
<entry><title>Honda and Nissan sign MOU</title><id>urn:e1</id><link href="https://atom.example/e1"/>
<updated>2024-03-15T12:00:00Z</updated><author><name>Zhou Zi Yi</name></author>
<content type="html">&lt;p&gt;Honda and Nissan agreed.&lt;/p&gt;&lt;style&gt;p{}&lt;/style&gt;&lt;ul&gt;&lt;li&gt;batteries&lt;/li&gt;&lt;/ul&gt;</content></entry>
</feed>"""

JSONFEED = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "JSON EV",
 "items": [{"id": "j1", "url": "https://json.example/j1", "title": "VinFast in Vietnam",
  "content_html": "<p>VinFast sells cars in Vietnam.</p>", "date_published": "2024-07-01T08:00:00Z",
  "authors": [{"name": "Mai Nguyen"}]}]}"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>bomb</title><item><title>&lol9;</title><description>x</description></item></channel></rss>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>xxe</title><item><title>leak</title><description>&xxe;</description></item></channel></rss>"""

OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>mine</title></head><body>
<outline text="EV"><outline type="rss" text="EV Wire" xmlUrl="https://ev.example/rss"/>
<outline type="rss" title="Atom EV" xmlUrl="https://atom.example/feed"/></outline>
<outline type="rss" text="bad" xmlUrl="file:///etc/passwd"/>
</body></opml>"""
