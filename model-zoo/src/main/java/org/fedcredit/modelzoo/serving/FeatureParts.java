package org.fedcredit.modelzoo.serving;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checks every bank model makes of the feature parties' parts before it scores. */
final class FeatureParts {

  private FeatureParts() {}

  /**
   * The part of each feature party, in {@code featureParties} order, each of {@code kind}; no other
   * party may have sent one.
   *
   * @param model what the model is, for the message ("a linear model")
   * @throws ScoringException naming the missing, foreign or misfiled part
   */
  static <T extends FeaturePart> Map<String, T> require(
      Map<String, ? extends FeaturePart> parts,
      List<String> featureParties,
      Class<T> kind,
      String model,
      String job) {
    Map<String, T> out = new LinkedHashMap<>();
    for (String p : featureParties) {
      out.put(p, one(parts, p, featureParties, kind, model));
    }
    noOthers(parts, featureParties, job);
    return out;
  }

  /** Party {@code p}'s part, of {@code kind} and computed by {@code p}. */
  static <T extends FeaturePart> T one(
      Map<String, ? extends FeaturePart> parts,
      String p,
      List<String> featureParties,
      Class<T> kind,
      String model) {
    FeaturePart part = parts.get(p);
    if (part == null) {
      throw new ScoringException(
          "no part from " + p + "; the decision needs every feature party " + featureParties);
    }
    if (!kind.isInstance(part)) {
      throw new ScoringException(p + " sent a " + part.getClass().getSimpleName() + " to " + model);
    }
    if (!part.party().equals(p)) {
      throw new ScoringException("the part filed under " + p + " was computed by " + part.party());
    }
    return kind.cast(part);
  }

  /** Throws if a party that is not one of {@code featureParties} sent a part. */
  static void noOthers(
      Map<String, ? extends FeaturePart> parts, List<String> featureParties, String job) {
    for (String p : parts.keySet()) {
      if (!featureParties.contains(p)) {
        throw new ScoringException(p + " is not a feature party of model " + job);
      }
    }
  }
}
