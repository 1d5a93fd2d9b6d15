package org.fedcredit.participantnode.serving.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * HTML building blocks of the decision pages: escaping, and the page shell with its one inline
 * style sheet. Nothing is loaded from anywhere else (no fonts, scripts, images or CDNs), so a page
 * works offline, and the {@link #CONTENT_SECURITY_POLICY} forbids everything but that style sheet.
 */
final class Html {
  static final String CSS =
      """
      :root{color-scheme:light;--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--bg:#f7f9fb;\
      --card:#fff;--accent:#1f5f8b;--bad:#b4451f;--good:#2f7d4f;--wait:#8a6d1d}
      *{box-sizing:border-box}
      body{margin:0;background:var(--bg);color:var(--ink);line-height:1.55;font-size:1rem;\
      font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB",\
      "Noto Sans CJK SC","Microsoft YaHei",sans-serif}
      a{color:var(--accent)}
      a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
      .top{display:flex;justify-content:space-between;align-items:center;gap:1rem;\
      padding:.75rem 1rem;background:var(--card);border-bottom:1px solid var(--line)}
      .brand{font-weight:600;letter-spacing:.02em}
      .lang{display:flex;gap:.75rem;margin:0;padding:0;list-style:none}
      .lang a{padding:.25rem .5rem;border-radius:.375rem;text-decoration:none;\
      border:1px solid var(--line)}
      .lang a[aria-current]{background:var(--accent);color:#fff;border-color:var(--accent)}
      main{max-width:44rem;margin:0 auto;padding:1rem}
      main.wide{max-width:72rem}
      h1{font-size:1.5rem;margin:.5rem 0 .25rem}
      h2{font-size:1.125rem;margin:0 0 .5rem}
      section{background:var(--card);border:1px solid var(--line);border-radius:.75rem;\
      padding:1rem 1.25rem;margin:1rem 0}
      .applicant{color:var(--muted);margin:0}
      .outcome{border-left:.5rem solid var(--wait)}
      .outcome.approved{border-left-color:var(--good)}
      .outcome.refused{border-left-color:var(--bad)}
      .outcome h2{font-size:1.375rem}
      .verdict{margin:.25rem 0}
      .figures{display:flex;flex-wrap:wrap;gap:1rem 2rem;margin:.75rem 0 0}
      .figures dt{color:var(--muted);font-size:.875rem}
      .figures dd{margin:0;font-size:1.25rem;font-weight:600}
      .note{background:#fdf8e6;border-radius:.5rem;padding:.5rem .75rem}
      .intro,.hint{color:var(--muted);margin-top:0}
      .reasons li{margin:.5rem 0}
      .code{display:block;color:var(--muted);font-size:.8125rem}
      .chart{list-style:none;margin:0;padding:0}
      .chart li{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:.75rem;\
      align-items:center;padding:.375rem 0;border-top:1px solid var(--line)}
      .chart li:first-child{border-top:0}
      .chart .tag{display:block;color:var(--muted);font-size:.8125rem}
      .chart svg{width:100%;height:1.25rem;display:block}
      .axis{stroke:var(--muted);stroke-width:1}
      rect.adverse{fill:var(--bad)}
      rect.favourable{fill:var(--good)}
      .legend{display:flex;justify-content:space-between;color:var(--muted);font-size:.8125rem;\
      margin-top:.5rem}
      .suggestions li{margin:.5rem 0}
      .about{color:var(--muted);font-size:.9375rem}
      .about dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
      .about dd{margin:0}
      .filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:0 0 .75rem;\
      padding:0;list-style:none}
      .filters a[aria-current]{font-weight:700}
      .table{overflow-x:auto}
      table{border-collapse:collapse;width:100%;font-size:.9375rem}
      th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--line);vertical-align:top}
      th{color:var(--muted);font-weight:600}
      td.num,td.time{white-space:nowrap}
      td.num{text-align:right;font-variant-numeric:tabular-nums}
      td.token{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8125rem;\
      white-space:normal;word-break:break-all;min-width:8rem}
      @media (max-width:30rem){.chart li{grid-template-columns:1fr;gap:.25rem}\
      .about dl{grid-template-columns:1fr}h1{font-size:1.3rem}}
      """;

  /** Only the inline style sheet above may apply; no script, image, frame, form or base. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src '"
          + sha256(CSS)
          + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private Html() {}

  /** {@code s} safe in element content and in double- or single-quoted attribute values. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Control characters other than tab and newlines are not allowed in HTML text.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** {@code text} in {@code language}, escaped, with each {@code %s} replaced by an escaped arg. */
  static String t(Text text, Language language, String... args) {
    Object[] escaped = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      escaped[i] = escape(args[i]);
    }
    return escaped.length == 0
        ? escape(text.in(language))
        : String.format(java.util.Locale.ROOT, escape(text.in(language)), escaped);
  }

  /**
   * A whole page: the shell (head, brand, language switch) around {@code body}.
   *
   * @param switchHref the link to this page in a language, escaped by the caller's builder
   */
  static String page(
      Language language,
      String title,
      java.util.function.Function<Language, String> switchHref,
      boolean wide,
      String body) {
    StringBuilder html = new StringBuilder(body.length() + CSS.length() + 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"")
        .append(language.htmlLang())
        .append("\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
        .append("<meta name=\"robots\" content=\"noindex, nofollow\">\n")
        .append("<title>")
        .append(title)
        .append(" · ")
        .append(t(Text.BRAND, language))
        .append("</title>\n<style>")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<header class=\"top\"><span class=\"brand\">")
        .append(t(Text.BRAND, language))
        .append("</span>\n<nav aria-label=\"")
        .append(t(Text.LANGUAGE_SWITCH, language))
        .append("\"><ul class=\"lang\">");
    for (Language l : Language.values()) {
      html.append("<li><a id=\"lang-")
          .append(l.tag())
          .append("\" href=\"")
          .append(escape(switchHref.apply(l)))
          .append("\" hreflang=\"")
          .append(l.htmlLang())
          .append("\" lang=\"")
          .append(l.htmlLang())
          .append('"')
          .append(l == language ? " aria-current=\"true\"" : "")
          .append('>')
          .append(escape(l.ownName()))
          .append("</a></li>");
    }
    html.append("</ul></nav></header>\n<main")
        .append(wide ? " class=\"wide\"" : "")
        .append(">\n")
        .append(body)
        .append("</main>\n</body>\n</html>\n");
    return html.toString();
  }

  private static String sha256(String s) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
