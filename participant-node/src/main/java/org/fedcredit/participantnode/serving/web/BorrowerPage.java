package org.fedcredit.participantnode.serving.web;

import static org.fedcredit.participantnode.serving.web.Html.escape;
import static org.fedcredit.participantnode.serving.web.Html.t;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.Decision.Change;
import org.fedcredit.participantnode.serving.Decision.Contribution;
import org.fedcredit.participantnode.serving.Decision.Counterfactual;
import org.fedcredit.participantnode.serving.Decision.Reason;

/**
 * The borrower's page of one decision: outcome, score and band, probability of default, the
 * reasons, the contribution chart, the suggestions, the model and the time.
 *
 * <p>What it prints as a value, and nothing else: the score, the band, the probability of default,
 * the borrower's own characteristics named in a counterfactual (from and to) with the re-scored
 * score and probability, the model reference, the time, the enterprise id and the reason codes.
 * Contributions are drawn as bars without numbers (the length is relative to the largest), so not
 * even another party's attribution is printed. Every text from the decision is HTML-escaped.
 */
final class BorrowerPage {
  /** Width of a chart bar's drawing; the axis is in the middle. */
  static final int CHART_WIDTH = 200;

  private BorrowerPage() {}

  static String render(Decision d, Language lang, ZoneId zone, Function<Language, String> href) {
    StringBuilder b = new StringBuilder(8192);
    b.append("<h1>").append(t(Text.PAGE_TITLE, lang)).append("</h1>\n");
    b.append("<p class=\"applicant\">")
        .append(t(Text.APPLICANT, lang, d.enterpriseId()))
        .append("</p>\n");
    outcome(b, d, lang);
    if (!d.reasons().isEmpty()) {
      reasons(b, d.reasons(), lang);
    }
    if (d.explanation() != null && !d.explanation().contributions().isEmpty()) {
      chart(b, d.explanation().contributions(), lang);
    }
    if (!d.counterfactuals().isEmpty()) {
      suggestions(b, d.counterfactuals(), lang);
    }
    about(b, d, lang, zone);
    return Html.page(lang, t(Text.PAGE_TITLE, lang), href, false, b.toString());
  }

  private static void outcome(StringBuilder b, Decision d, Language lang) {
    String css;
    Text label;
    Text verdict;
    switch (d.outcome()) {
      case APPROVED -> {
        css = "approved";
        label = Text.OUTCOME_APPROVED;
        verdict = Text.VERDICT_APPROVED;
      }
      case REFUSED -> {
        css = "refused";
        label = Text.OUTCOME_REFUSED;
        verdict = Text.VERDICT_REFUSED;
      }
      default -> {
        css = "cannot-decide";
        label = Text.OUTCOME_CANNOT_DECIDE;
        verdict = Text.VERDICT_CANNOT_DECIDE;
      }
    }
    b.append("<section class=\"outcome ")
        .append(css)
        .append("\" aria-labelledby=\"outcome-h\">\n<h2 id=\"outcome-h\">")
        .append(t(Text.DECISION, lang))
        .append(t(Text.LABEL_SEPARATOR, lang))
        .append("<span id=\"outcome\" data-outcome=\"")
        .append(d.outcome().name())
        .append("\">")
        .append(t(label, lang))
        .append("</span></h2>\n<p class=\"verdict\">")
        .append(t(verdict, lang))
        .append("</p>\n");
    String note = inLanguage(d.note(), lang);
    if (!note.isEmpty()) {
      b.append("<p class=\"note\" id=\"note\">").append(escape(note)).append("</p>\n");
    }
    boolean hasScore = !Double.isNaN(d.score());
    boolean hasPd = !Double.isNaN(d.probabilityOfDefault());
    if (hasScore || hasPd) {
      b.append("<dl class=\"figures\">");
      if (hasScore) {
        b.append("<div><dt>")
            .append(t(Text.SCORE, lang))
            .append("</dt><dd id=\"score\">")
            .append(t(Text.SCORE_VALUE, lang, Numbers.points(d.score())))
            .append("</dd></div>");
        if (!d.band().isEmpty()) {
          b.append("<div><dt>")
              .append(t(Text.COLUMN_BAND, lang))
              .append("</dt><dd id=\"band\">")
              .append(t(Text.BAND, lang, d.band()))
              .append("</dd></div>");
        }
      }
      if (hasPd) {
        b.append("<div><dt>")
            .append(t(Text.PROBABILITY_OF_DEFAULT, lang))
            .append("</dt><dd id=\"pd\">")
            .append(escape(Numbers.percent(d.probabilityOfDefault())))
            .append("</dd></div>");
      }
      b.append("</dl>\n");
    }
    b.append("</section>\n");
  }

  private static void reasons(StringBuilder b, List<Reason> reasons, Language lang) {
    b.append("<section aria-labelledby=\"reasons-h\">\n<h2 id=\"reasons-h\">")
        .append(t(Text.REASONS, lang))
        .append("</h2>\n<p class=\"intro\">")
        .append(t(Text.REASONS_INTRO, lang))
        .append("</p>\n<ol class=\"reasons\" id=\"reasons\">\n");
    for (Reason r : reasons) {
      b.append("<li><span class=\"reason\">")
          .append(escape(inLanguage(r.text(), lang)))
          .append("</span><span class=\"code\">")
          .append(t(Text.REASON_CODE, lang, r.code()))
          .append("</span></li>\n");
    }
    b.append("</ol>\n</section>\n");
  }

  private static void chart(StringBuilder b, List<Contribution> contributions, Language lang) {
    List<Contribution> sorted = new ArrayList<>(contributions);
    sorted.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.value())));
    double largest = Math.abs(sorted.get(0).value());
    boolean anyBlock = false;
    b.append("<section aria-labelledby=\"chart-h\">\n<h2 id=\"chart-h\">")
        .append(t(Text.CHART, lang))
        .append("</h2>\n<p class=\"hint\">")
        .append(t(Text.CHART_INTRO, lang))
        .append("</p>\n<figure id=\"chart\" aria-labelledby=\"chart-h\">\n<ul class=\"chart\">\n");
    double half = CHART_WIDTH / 2.0;
    for (Contribution c : sorted) {
      double v = c.value();
      boolean adverse = v > 0;
      double share = largest > 0 && Double.isFinite(v) ? Math.min(1, Math.abs(v) / largest) : 0;
      double length = share * (half - 2);
      double x = adverse ? half : half - length;
      String label = inLanguage(c.label(), lang);
      String direction = t(adverse ? Text.TOWARDS_REFUSAL : Text.IN_FAVOUR, lang);
      String strength =
          t(
              share >= 0.5
                  ? Text.STRENGTH_STRONG
                  : share >= 0.2 ? Text.STRENGTH_MODERATE : Text.STRENGTH_SLIGHT,
              lang);
      anyBlock |= c.block();
      b.append("<li class=\"")
          .append(adverse ? "adverse" : "favourable")
          .append(c.block() ? " block" : "")
          .append("\"><span class=\"label\">")
          .append(escape(label));
      if (c.block()) {
        b.append("<span class=\"tag\">").append(t(Text.PARTY_BLOCK, lang)).append("</span>");
      }
      b.append("</span><svg viewBox=\"0 0 ")
          .append(CHART_WIDTH)
          .append(" 20\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
          .append(escape(label))
          .append(": ")
          .append(direction)
          .append(", ")
          .append(strength)
          .append("\"><rect class=\"")
          .append(adverse ? "adverse" : "favourable")
          .append("\" x=\"")
          .append(coordinate(x))
          .append("\" y=\"4\" width=\"")
          .append(coordinate(length))
          .append("\" height=\"12\" rx=\"2\"></rect><line class=\"axis\" x1=\"")
          .append(coordinate(half))
          .append("\" y1=\"0\" x2=\"")
          .append(coordinate(half))
          .append("\" y2=\"20\"></line></svg></li>\n");
    }
    b.append("</ul>\n<figcaption class=\"legend\"><span>← ")
        .append(t(Text.IN_FAVOUR, lang))
        .append("</span><span>")
        .append(t(Text.TOWARDS_REFUSAL, lang))
        .append(" →</span></figcaption>\n</figure>\n");
    if (anyBlock) {
      b.append("<p class=\"hint\">").append(t(Text.PARTY_BLOCK_NOTE, lang)).append("</p>\n");
    }
    b.append("</section>\n");
  }

  private static void suggestions(StringBuilder b, List<Counterfactual> cfs, Language lang) {
    b.append("<section aria-labelledby=\"suggestions-h\">\n<h2 id=\"suggestions-h\">")
        .append(t(Text.SUGGESTIONS, lang))
        .append("</h2>\n<p class=\"intro\">")
        .append(t(Text.SUGGESTIONS_INTRO, lang))
        .append("</p>\n<ol class=\"suggestions\" id=\"suggestions\">\n");
    for (Counterfactual cf : cfs) {
      List<String> changes = new ArrayList<>();
      for (Change c : cf.changes()) {
        changes.add(
            t(
                Text.CHANGE,
                lang,
                inLanguage(c.label(), lang),
                Numbers.value(c.to()),
                Numbers.value(c.from())));
      }
      String sentence = String.join(t(Text.CHANGE_JOINER, lang), changes);
      if (lang == Language.EN && !sentence.isEmpty()) {
        sentence = Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
      }
      b.append("<li>").append(sentence);
      if (!Double.isNaN(cf.newScore()) && !Double.isNaN(cf.newProbabilityOfDefault())) {
        b.append(
            t(
                Text.SUGGESTION_RESULT,
                lang,
                Numbers.points(cf.newScore()),
                Numbers.percent(cf.newProbabilityOfDefault())));
      } else {
        b.append(lang == Language.ZH ? "。" : ".");
      }
      b.append("</li>\n");
    }
    b.append("</ol>\n</section>\n");
  }

  private static void about(StringBuilder b, Decision d, Language lang, ZoneId zone) {
    b.append("<section class=\"about\" aria-labelledby=\"about-h\">\n<h2 id=\"about-h\">")
        .append(t(Text.ABOUT, lang))
        .append("</h2>\n<dl><dt>")
        .append(t(Text.MODEL, lang))
        .append("</dt><dd id=\"model\">")
        .append(
            t(Text.MODEL_VALUE, lang, d.model().algorithm(), d.model().version(), d.model().job()))
        .append("</dd><dt>")
        .append(t(Text.AUDIT_LOG, lang))
        .append("</dt><dd><a id=\"model-proof\" href=\"")
        .append(escape(d.token()))
        .append(DecisionWebServer.MODEL_PROOF_SUFFIX)
        .append("\">")
        .append(t(Text.MODEL_PROOF, lang))
        .append("</a></dd><dt>")
        .append(t(Text.DECIDED_AT, lang))
        .append("</dt><dd><time id=\"decided-at\" datetime=\"")
        .append(escape(d.decidedAt().toString()))
        .append("\">")
        .append(escape(Numbers.time(d.decidedAt(), zone)))
        .append("</time></dd></dl>\n<p>")
        .append(t(Text.PRIVACY, lang))
        .append("</p>\n</section>\n");
  }

  /** The text in {@code lang}; else English; else any; else empty. */
  static String inLanguage(Map<String, String> texts, Language lang) {
    String text = texts.get(lang.tag());
    if (text == null || text.isBlank()) {
      text = texts.get(Language.DEFAULT.tag());
    }
    if (text == null || text.isBlank()) {
      text = texts.values().stream().filter(s -> !s.isBlank()).findFirst().orElse("");
    }
    return text;
  }

  private static String coordinate(double v) {
    return Numbers.value(v);
  }
}
