package org.fedcredit.participantnode.serving.scoring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedcredit.modelzoo.serving.FeaturePart;
import org.fedcredit.modelzoo.serving.LinearPart;
import org.fedcredit.modelzoo.serving.LinearTerm;
import org.fedcredit.modelzoo.serving.TreePart;
import org.fedcredit.protocols.serving.v1.Attribution;
import org.fedcredit.protocols.serving.v1.PartResponse;
import org.fedcredit.protocols.serving.v1.SplitDirection;

/**
 * {@link FeaturePart} ↔ {@code PartResponse}. What crosses is what docs/protocols/serving.md lists:
 * a linear part's partial margin, its base share and attributions (per raw column, or one block
 * {@code *}) — never a term's weight, transformed value or mean; a tree part's directions and, if
 * disclosed, split columns — never a threshold.
 */
public final class PartMessages {

  /** The attribution key of a party's block. */
  public static final String BLOCK = "*";

  private PartMessages() {}

  /** What a feature party sends for {@code part} of model {@code job}. */
  public static PartResponse toProto(String job, FeaturePart part, boolean perColumn) {
    PartResponse.Builder b =
        PartResponse.newBuilder().setJob(job).setParty(part.party()).setPerColumn(perColumn);
    if (part instanceof LinearPart lp) {
      double baseShare = lp.referenceMargin();
      org.fedcredit.protocols.serving.v1.LinearPart.Builder l =
          org.fedcredit.protocols.serving.v1.LinearPart.newBuilder()
              .setPartialMargin(lp.margin())
              .setBaseShare(baseShare);
      if (perColumn) {
        Map<String, Double> byColumn = new LinkedHashMap<>();
        for (LinearTerm t : lp.terms()) {
          byColumn.merge(t.sourceColumn(), t.attribution(), Double::sum);
        }
        byColumn.forEach(
            (c, v) -> l.addAttributions(Attribution.newBuilder().setColumn(c).setValue(v)));
      } else {
        l.addAttributions(
            Attribution.newBuilder().setColumn(BLOCK).setValue(lp.margin() - baseShare));
      }
      return b.setLinear(l).build();
    }
    TreePart tp = (TreePart) part;
    org.fedcredit.protocols.serving.v1.TreePart.Builder t =
        org.fedcredit.protocols.serving.v1.TreePart.newBuilder();
    for (var e : tp.goesLeft().entrySet()) {
      String[] tn = e.getKey().split("/");
      SplitDirection.Builder d =
          SplitDirection.newBuilder()
              .setTree(Integer.parseInt(tn[0]))
              .setNode(Integer.parseInt(tn[1]))
              .setLeft(e.getValue());
      if (perColumn) {
        String c = tp.splitColumns().get(e.getKey());
        if (c != null) {
          d.setColumn(c);
        }
      }
      t.addDirections(d);
    }
    return b.setTree(t).build();
  }

  /**
   * A received part as the bank uses it.
   *
   * @param part the part to score with (a linear part carries no terms)
   * @param attributions per raw column, or {@link #BLOCK} alone; empty for a tree part
   * @param baseShare a linear part's share of the base value; 0 for a tree part
   * @param perColumn whether the party disclosed per column
   */
  public record Received(
      FeaturePart part, Map<String, Double> attributions, double baseShare, boolean perColumn) {
    public Received {
      attributions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributions));
    }
  }

  /**
   * Reads a feature party's answer.
   *
   * @throws IllegalArgumentException if the answer is empty or names another party
   */
  public static Received fromProto(String expectedParty, PartResponse r) {
    if (!r.getParty().equals(expectedParty)) {
      throw new IllegalArgumentException(
          expectedParty + " answered as '" + r.getParty() + "'; its node serves another party");
    }
    switch (r.getPartCase()) {
      case LINEAR -> {
        var l = r.getLinear();
        Map<String, Double> a = new LinkedHashMap<>();
        for (Attribution at : l.getAttributionsList()) {
          a.merge(at.getColumn(), at.getValue(), Double::sum);
        }
        return new Received(
            new LinearPart(expectedParty, l.getPartialMargin(), l.getBaseShare(), List.of()),
            a,
            l.getBaseShare(),
            r.getPerColumn());
      }
      case TREE -> {
        Map<String, Boolean> left = new LinkedHashMap<>();
        Map<String, String> columns = new LinkedHashMap<>();
        for (SplitDirection d : r.getTree().getDirectionsList()) {
          String id = TreePart.splitId(d.getTree(), d.getNode());
          left.put(id, d.getLeft());
          if (!d.getColumn().isEmpty()) {
            columns.put(id, d.getColumn());
          }
        }
        return new Received(
            new TreePart(expectedParty, left, columns), Map.of(), 0, r.getPerColumn());
      }
      default -> throw new IllegalArgumentException(expectedParty + " sent an empty part");
    }
  }
}
