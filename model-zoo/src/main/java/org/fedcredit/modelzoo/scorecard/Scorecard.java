package org.fedcredit.modelzoo.scorecard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fedcredit.modelzoo.binning.ColumnBins;
import org.fedcredit.modelzoo.binning.WoeColumn;

/**
 * A credit scorecard: points per attribute (bin) of every characteristic (column), built from a
 * logistic regression on WOE-transformed columns, so that {@code score(row) = Σ points = offset −
 * factor·logit} exactly (see {@link ScorecardScaling} for the sign convention: higher score = lower
 * risk). The intercept and offset are spread evenly: {@code points(attribute i of characteristic j)
 * = −(w_j·WOE_ij + b/n)·factor + offset/n} for {@code n} characteristics.
 *
 * <p>Exports for a credit committee: {@link #toJson()} (readable back with {@link #fromJson}) and
 * {@link #toCsv()} (one row per attribute: characteristic, attribute, WOE, points, rounded points,
 * bin count), both written atomically by {@link #writeJson}/{@link #writeCsv}.
 *
 * @param scaling PDO, base score and base odds
 * @param bands risk grades by score
 * @param characteristics in model order
 */
public record Scorecard(
    ScorecardScaling scaling, ScoreBands bands, List<Characteristic> characteristics) {

  public Scorecard {
    Objects.requireNonNull(scaling, "scaling");
    Objects.requireNonNull(bands, "bands");
    characteristics = List.copyOf(characteristics);
    if (characteristics.isEmpty()) {
      throw new ScorecardException("a scorecard needs at least one characteristic");
    }
    Set<String> names = new HashSet<>();
    for (Characteristic c : characteristics) {
      if (!names.add(c.name())) {
        throw new ScorecardException("characteristic '" + c.name() + "' appears twice");
      }
    }
  }

  /**
   * Builds the scorecard of a model whose columns are all here.
   *
   * @param columns the WOE-encoded columns of the model
   * @param weights LR weight per column name
   * @param intercept the LR intercept {@code b}
   */
  public static Scorecard build(
      List<WoeColumn> columns,
      Map<String, Double> weights,
      double intercept,
      ScorecardScaling scaling,
      ScoreBands bands) {
    double base = scaling.basePointsPerCharacteristic(intercept, columns.size());
    PartyScorecard all =
        PartyScorecard.build("all", columns, weights, scaling, base, columns.size());
    return new Scorecard(scaling, bands, all.characteristics());
  }

  /**
   * Joins what the parties of a vertical model published into one card.
   *
   * @throws ScorecardException if the parts disagree on the scaling, the base points or the number
   *     of characteristics, a characteristic is missing or appears twice
   */
  public static Scorecard merge(List<PartyScorecard> parts, ScoreBands bands) {
    if (parts.isEmpty()) {
      throw new ScorecardException("nothing to merge: no party scorecards");
    }
    PartyScorecard first = parts.get(0);
    List<Characteristic> all = new ArrayList<>();
    for (PartyScorecard p : parts) {
      if (!p.scaling().equals(first.scaling())
          || p.basePointsPerCharacteristic() != first.basePointsPerCharacteristic()
          || p.totalCharacteristics() != first.totalCharacteristics()) {
        throw new ScorecardException(
            p.party()
                + "'s scorecard was built with other settings than "
                + first.party()
                + "'s (scaling, base points or number of characteristics); rebuild both from the"
                + " same model");
      }
      all.addAll(p.characteristics());
    }
    if (all.size() != first.totalCharacteristics()) {
      throw new ScorecardException(
          "the parties published "
              + all.size()
              + " of the model's "
              + first.totalCharacteristics()
              + " characteristics; a partial card does not add up to the model's score");
    }
    return new Scorecard(first.scaling(), bands, all);
  }

  /** {@code Σ points} for {@code row} (column name → value; an absent column counts as missing). */
  public double score(Map<String, Double> row) {
    double s = 0;
    for (Characteristic c : characteristics) {
      s += c.points(row.getOrDefault(c.name(), Double.NaN));
    }
    return s;
  }

  /** The band of {@code row}'s score. */
  public String band(Map<String, Double> row) {
    return bands.band(score(row));
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The card as JSON (full-precision numbers; readable back with {@link #fromJson}). */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "fedcredit-scorecard/1");
    ObjectNode s = root.putObject("scaling");
    s.put("pdo", scaling.pdo());
    s.put("baseScore", scaling.baseScore());
    s.put("baseOdds", scaling.baseOdds());
    s.put("factor", scaling.factor());
    s.put("offset", scaling.offset());
    ObjectNode b = root.putObject("bands");
    bands.names().forEach(b.putArray("names")::add);
    bands.lowerBounds().forEach(b.putArray("lowerBounds")::add);
    ArrayNode cs = root.putArray("characteristics");
    for (Characteristic c : characteristics) {
      ObjectNode n = cs.addObject();
      n.put("name", c.name());
      n.put("weight", c.weight());
      n.put("indicator", c.bins().indicator());
      c.bins().cutPoints().forEach(n.putArray("cutPoints")::add);
      ArrayNode attrs = n.putArray("attributes");
      for (Attribute a : c.attributes()) {
        ObjectNode an = attrs.addObject();
        an.put("label", a.label());
        an.put("woe", a.woe());
        an.put("points", a.points());
        an.put("count", a.count());
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new ScorecardException("cannot write the scorecard as JSON: " + e.getMessage(), e);
    }
  }

  /** Reads a card written by {@link #toJson()}. */
  public static Scorecard fromJson(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      if (!"fedcredit-scorecard/1".equals(root.path("format").asText())) {
        throw new ScorecardException(
            "not a FedCredit scorecard (format is '" + root.path("format").asText() + "')");
      }
      JsonNode s = root.get("scaling");
      ScorecardScaling scaling =
          new ScorecardScaling(
              s.get("pdo").asDouble(), s.get("baseScore").asDouble(), s.get("baseOdds").asDouble());
      List<String> names = new ArrayList<>();
      root.get("bands").get("names").forEach(n -> names.add(n.asText()));
      List<Double> bounds = new ArrayList<>();
      root.get("bands").get("lowerBounds").forEach(n -> bounds.add(n.asDouble()));
      List<Characteristic> cs = new ArrayList<>();
      for (JsonNode n : root.get("characteristics")) {
        List<Double> cuts = new ArrayList<>();
        n.get("cutPoints").forEach(c -> cuts.add(c.asDouble()));
        List<Attribute> attrs = new ArrayList<>();
        for (JsonNode a : n.get("attributes")) {
          attrs.add(
              new Attribute(
                  a.get("label").asText(),
                  a.get("woe").asDouble(),
                  a.get("points").asDouble(),
                  a.get("count").asLong()));
        }
        String name = n.get("name").asText();
        cs.add(
            new Characteristic(
                name,
                new ColumnBins(name, cuts, n.get("indicator").asBoolean()),
                n.get("weight").asDouble(),
                attrs));
      }
      return new Scorecard(scaling, new ScoreBands(names, bounds), cs);
    } catch (IOException | NullPointerException e) {
      throw new ScorecardException("not a readable scorecard JSON document: " + e, e);
    }
  }

  /** Header of {@link #toCsv()}. */
  public static final String CSV_HEADER =
      "characteristic,attribute,woe,points,points_rounded,bin_count";

  /**
   * One row per attribute, RFC 4180 quoting; full-precision WOE and points, plus rounded points.
   */
  public String toCsv() {
    StringBuilder out = new StringBuilder(CSV_HEADER).append("\r\n");
    for (Characteristic c : characteristics) {
      for (Attribute a : c.attributes()) {
        out.append(quote(c.name()))
            .append(',')
            .append(quote(a.label()))
            .append(',')
            .append(a.woe())
            .append(',')
            .append(a.points())
            .append(',')
            .append(Math.round(a.points()))
            .append(',')
            .append(a.count())
            .append("\r\n");
      }
    }
    return out.toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** Writes {@link #toJson()} to {@code file} atomically (a temporary file, then a rename). */
  public void writeJson(Path file) {
    writeAtomically(file, toJson());
  }

  /** Writes {@link #toCsv()} to {@code file} atomically. */
  public void writeCsv(Path file) {
    writeAtomically(file, toCsv());
  }

  private static void writeAtomically(Path file, String content) {
    Path target = file.toAbsolutePath();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new ScorecardException(
            "cannot replace " + target + " atomically on this file system; write to a local disk",
            e);
      }
    } catch (IOException e) {
      throw new ScorecardException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file has a unique name
        }
      }
    }
  }
}
