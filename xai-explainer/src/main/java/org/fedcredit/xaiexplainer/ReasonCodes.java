package org.fedcredit.xaiexplainer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The principal reasons for an adverse credit decision, from attributions on the margin (log-odds
 * of default): positive contributions push towards default, i.e. towards refusal.
 *
 * <p>{@link #principal} sums the attributions per reason family of the catalogue, keeps the
 * families whose sum is strictly positive, drops protected families (they can never be a reason,
 * whatever their weight), ranks by contribution descending — ties by code, so the result is
 * deterministic — and returns at most {@code max} (by default {@value #DEFAULT_MAX}, the number of
 * principal reasons regulators expect).
 */
public final class ReasonCodes {

  /** The default number of principal reasons. */
  public static final int DEFAULT_MAX = 4;

  private ReasonCodes() {}

  /**
   * One principal reason.
   *
   * @param code the reason code
   * @param en the English text
   * @param zh the Chinese text
   * @param contribution the family's summed attribution on the margin (positive)
   * @param characteristics the attribution keys summed into it, sorted
   */
  public record Reason(
      String code, String en, String zh, double contribution, List<String> characteristics) {
    public Reason {
      characteristics = List.copyOf(characteristics);
    }

    /** The text in {@code language} ({@code zh…} gives Chinese, anything else English). */
    public String text(Locale language) {
      return language.getLanguage().equals("zh") ? zh : en;
    }
  }

  /** {@link #principal(Map, ReasonCodeCatalogue, int)} with at most {@value #DEFAULT_MAX}. */
  public static List<Reason> principal(
      Map<String, Double> attributions, ReasonCodeCatalogue catalogue) {
    return principal(attributions, catalogue, DEFAULT_MAX);
  }

  /**
   * The principal reasons of an adverse decision.
   *
   * @param attributions φ per key ({@code party:column}, an indicator column, or {@code party:*}),
   *     e.g. {@link ShapValues#byName}
   * @param catalogue the reason families
   * @param max the most reasons to return (at least 1)
   * @throws ReasonCodeCatalogueException if a key has no family (the catalogue does not cover the
   *     model: see {@link ReasonCodeCatalogue#coverage})
   * @throws IllegalArgumentException for a non-finite attribution or {@code max < 1}
   */
  public static List<Reason> principal(
      Map<String, Double> attributions, ReasonCodeCatalogue catalogue, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    SortedSet<String> missing = catalogue.coverage(attributions.keySet());
    if (!missing.isEmpty()) {
      throw new ReasonCodeCatalogueException(
          "catalogue "
              + catalogue.name()
              + " has no reason family for "
              + missing
              + "; add them to a family (or a party's block family party:*)");
    }
    Map<ReasonFamily, Double> sums = new LinkedHashMap<>();
    Map<ReasonFamily, SortedSet<String>> keys = new LinkedHashMap<>();
    // Sum in key order: the same attributions always give bit-identical sums.
    for (Map.Entry<String, Double> e : new TreeMap<>(attributions).entrySet()) {
      double phi = e.getValue();
      if (!Double.isFinite(phi)) {
        throw new IllegalArgumentException("attribution of " + e.getKey() + " is " + phi);
      }
      ReasonFamily f = catalogue.familyOf(e.getKey()).orElseThrow();
      sums.merge(f, phi, Double::sum);
      keys.computeIfAbsent(f, k -> new TreeSet<>()).add(e.getKey());
    }
    List<Reason> reasons = new ArrayList<>();
    for (Map.Entry<ReasonFamily, Double> e : sums.entrySet()) {
      ReasonFamily f = e.getKey();
      if (e.getValue() > 0 && !f.protectedAttribute()) {
        reasons.add(
            new Reason(f.code(), f.en(), f.zh(), e.getValue(), new ArrayList<>(keys.get(f))));
      }
    }
    reasons.sort(
        Comparator.comparingDouble(Reason::contribution).reversed().thenComparing(Reason::code));
    return List.copyOf(reasons.subList(0, Math.min(max, reasons.size())));
  }
}
