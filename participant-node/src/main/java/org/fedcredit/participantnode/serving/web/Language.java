package org.fedcredit.participantnode.serving.web;

import java.util.Locale;
import java.util.Optional;

/**
 * A language the decision pages are written in. The tag is the key of every per-language text in a
 * {@link org.fedcredit.participantnode.serving.Decision} ({@code en}, {@code zh}).
 */
public enum Language {
  EN("en", "en", "English"),
  ZH("zh", "zh-CN", "中文");

  /** The language of a request that names none we have. */
  public static final Language DEFAULT = EN;

  private final String tag;
  private final String htmlLang;
  private final String ownName;

  Language(String tag, String htmlLang, String ownName) {
    this.tag = tag;
    this.htmlLang = htmlLang;
    this.ownName = ownName;
  }

  /** The key of this language's texts in a decision, and the value of {@code ?lang=}. */
  public String tag() {
    return tag;
  }

  /** The value of the page's {@code lang} attribute. */
  public String htmlLang() {
    return htmlLang;
  }

  /** The language's name in itself, for the switch. */
  public String ownName() {
    return ownName;
  }

  /** The language {@code ?lang=} names ({@code en}, {@code zh}, case-insensitive), if any. */
  public static Optional<Language> fromTag(String tag) {
    if (tag == null) {
      return Optional.empty();
    }
    String primary = tag.strip().toLowerCase(Locale.ROOT).split("[-_]", 2)[0];
    for (Language l : values()) {
      if (l.tag.equals(primary)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }

  /**
   * The most preferred of our languages in an {@code Accept-Language} header (RFC 9110 §12.5.4:
   * quality values, {@code q=0} meaning "not this one"; among equal qualities the first listed
   * wins), or {@link #DEFAULT} when the header is absent or names none of ours.
   */
  public static Language fromAcceptLanguage(String header) {
    if (header == null || header.isBlank()) {
      return DEFAULT;
    }
    Language best = null;
    double bestQ = 0;
    for (String range : header.split(",")) {
      String[] parts = range.split(";");
      Optional<Language> language = fromTag(parts[0]);
      if (language.isEmpty()) {
        continue;
      }
      double q = 1;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].strip();
        if (p.startsWith("q=") || p.startsWith("Q=")) {
          try {
            q = Double.parseDouble(p.substring(2).strip());
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (q > bestQ) {
        best = language.get();
        bestQ = q;
      }
    }
    return best == null ? DEFAULT : best;
  }
}
