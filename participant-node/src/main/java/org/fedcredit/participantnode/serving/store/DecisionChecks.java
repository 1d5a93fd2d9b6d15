package org.fedcredit.participantnode.serving.store;

import java.util.Objects;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.DecisionTokens;

/** What every store checks before it writes, so that all of them reject the same decisions. */
final class DecisionChecks {
  static final int LONG_TEXT = 255;
  static final int SHORT_TEXT = 64;

  private DecisionChecks() {}

  static Decision storable(Decision d) {
    Objects.requireNonNull(d, "decision");
    if (!DecisionTokens.isWellFormed(d.token())) {
      throw new IllegalArgumentException(
          "decision token '"
              + d.token()
              + "' is not well formed ("
              + DecisionTokens.LENGTH
              + " URL-safe base64 characters); create it with DecisionTokens.newToken()");
    }
    length(d, "enterprise id", d.enterpriseId(), LONG_TEXT);
    length(d, "model job", d.model().job(), LONG_TEXT);
    length(d, "model version", d.model().version(), LONG_TEXT);
    length(d, "model algorithm", d.model().algorithm(), SHORT_TEXT);
    length(d, "band", d.band(), SHORT_TEXT);
    finiteOrNaN(d, "probability of default", d.probabilityOfDefault());
    finiteOrNaN(d, "score", d.score());
    return d;
  }

  /** The {@code limit} of {@link DecisionStore#recent}. */
  static void requireLimit(int limit) {
    if (limit < 1 || limit > DecisionStore.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit " + limit + " is out of range; ask for 1 to " + DecisionStore.MAX_LIMIT);
    }
  }

  private static void length(Decision d, String what, String value, int max) {
    Objects.requireNonNull(value, what);
    if (value.length() > max) {
      throw new IllegalArgumentException(
          "decision "
              + d.token()
              + ": "
              + what
              + " has "
              + value.length()
              + " characters, the store keeps at most "
              + max
              + "; shorten it");
    }
    if (value.indexOf('\u0000') >= 0) {
      // PostgreSQL text cannot hold NUL; refuse it on every store so they all behave alike.
      throw new IllegalArgumentException(
          "decision " + d.token() + ": " + what + " contains a NUL character; remove it");
    }
  }

  private static void finiteOrNaN(Decision d, String what, double value) {
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "decision "
              + d.token()
              + ": "
              + what
              + " is "
              + value
              + "; it must be a finite number, or NaN when the model gave none");
    }
  }
}
