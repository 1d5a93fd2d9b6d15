package org.fedcredit.participantnode.serving.web;

import static org.fedcredit.participantnode.serving.web.Html.escape;
import static org.fedcredit.participantnode.serving.web.Html.t;

import java.util.function.Function;

/** The pages of failed requests: a title and one calm sentence, never a stack trace. */
final class ErrorPage {
  private ErrorPage() {}

  static String render(
      Text title, String message, Language lang, Function<Language, String> langHref) {
    String body =
        "<h1>"
            + t(title, lang)
            + "</h1>\n<section><p id=\"message\">"
            + message
            + "</p></section>\n";
    return Html.page(lang, t(title, lang), langHref, false, body);
  }

  /** A plain message that is already in the user's words (e.g. a bad query parameter). */
  static String plain(Text title, String rawMessage, Language lang, Function<Language, String> l) {
    return render(title, escape(rawMessage), lang, l);
  }
}
