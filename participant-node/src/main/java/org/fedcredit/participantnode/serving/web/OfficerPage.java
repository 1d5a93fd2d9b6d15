package org.fedcredit.participantnode.serving.web;

import static org.fedcredit.participantnode.serving.web.Html.escape;
import static org.fedcredit.participantnode.serving.web.Html.t;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.Decision.Outcome;

/** The credit officer's table of recent decisions, each linked to its borrower page. */
final class OfficerPage {
  private OfficerPage() {}

  static String render(
      List<Decision> decisions,
      Optional<Outcome> filter,
      int limit,
      Language lang,
      ZoneId zone,
      Function<Optional<Outcome>, String> filterHref,
      Function<Language, String> langHref) {
    StringBuilder b = new StringBuilder(4096 + decisions.size() * 512);
    b.append("<h1>").append(t(Text.OFFICER_TITLE, lang)).append("</h1>\n");
    b.append("<nav aria-label=\"")
        .append(t(Text.OFFICER_FILTER, lang))
        .append("\"><ul class=\"filters\"><li>")
        .append(t(Text.OFFICER_FILTER, lang))
        .append(":</li>");
    filterLink(b, Optional.empty(), filter, t(Text.OFFICER_ALL, lang), filterHref);
    for (Outcome o : Outcome.values()) {
      filterLink(b, Optional.of(o), filter, t(outcomeText(o), lang), filterHref);
    }
    b.append("</ul></nav>\n<p class=\"hint\">")
        .append(t(Text.OFFICER_SHOWING, lang, Integer.toString(limit)))
        .append("</p>\n");
    if (decisions.isEmpty()) {
      b.append("<p id=\"empty\">").append(t(Text.OFFICER_EMPTY, lang)).append("</p>\n");
      return Html.page(lang, t(Text.OFFICER_TITLE, lang), langHref, true, b.toString());
    }
    b.append("<div class=\"table\"><table id=\"decisions\">\n<thead><tr>");
    b.append("<th scope=\"col\">")
        .append(t(Text.COLUMN_TIME, lang, Numbers.zoneName(zone)))
        .append("</th>");
    for (Text column :
        List.of(
            Text.COLUMN_ENTERPRISE,
            Text.COLUMN_OUTCOME,
            Text.COLUMN_SCORE,
            Text.COLUMN_BAND,
            Text.COLUMN_PD,
            Text.COLUMN_MODEL,
            Text.COLUMN_PAGE)) {
      b.append("<th scope=\"col\">").append(t(column, lang)).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    String none = t(Text.NONE, lang);
    for (Decision d : decisions) {
      b.append("<tr data-outcome=\"")
          .append(d.outcome().name())
          .append("\"><td class=\"time\"><time datetime=\"")
          .append(escape(d.decidedAt().toString()))
          .append("\">")
          .append(escape(Numbers.localTime(d.decidedAt(), zone)))
          .append("</time></td><td>")
          .append(escape(d.enterpriseId()))
          .append("</td><td>")
          .append(t(outcomeText(d.outcome()), lang))
          .append("</td><td class=\"num\">")
          .append(Double.isNaN(d.score()) ? none : escape(Numbers.points(d.score())))
          .append("</td><td>")
          .append(d.band().isEmpty() ? none : escape(d.band()))
          .append("</td><td class=\"num\">")
          .append(
              Double.isNaN(d.probabilityOfDefault())
                  ? none
                  : escape(Numbers.percent(d.probabilityOfDefault())))
          .append("</td><td>")
          .append(escape(d.model().algorithm() + " " + d.model().version()))
          .append("</td><td class=\"token\"><a href=\"/decisions/")
          .append(escape(d.token()))
          .append("?lang=")
          .append(lang.tag())
          .append("\">")
          .append(escape(d.token()))
          .append("</a></td></tr>\n");
    }
    b.append("</tbody>\n</table></div>\n");
    return Html.page(lang, t(Text.OFFICER_TITLE, lang), langHref, true, b.toString());
  }

  static Text outcomeText(Outcome o) {
    return switch (o) {
      case APPROVED -> Text.OUTCOME_APPROVED;
      case REFUSED -> Text.OUTCOME_REFUSED;
      case CANNOT_DECIDE -> Text.OUTCOME_CANNOT_DECIDE;
    };
  }

  private static void filterLink(
      StringBuilder b,
      Optional<Outcome> target,
      Optional<Outcome> current,
      String label,
      Function<Optional<Outcome>, String> href) {
    b.append("<li><a href=\"")
        .append(escape(href.apply(target)))
        .append('"')
        .append(target.equals(current) ? " aria-current=\"page\"" : "")
        .append('>')
        .append(label)
        .append("</a></li>");
  }
}
