package org.fedcredit.participantnode.serving.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedcredit.modelzoo.serving.LinearPart;
import org.fedcredit.modelzoo.serving.LinearTerm;
import org.fedcredit.modelzoo.serving.TreePart;
import org.fedcredit.protocols.serving.v1.PartResponse;
import org.junit.jupiter.api.Test;

/**
 * What crosses from a feature party to the bank for one application: attributions per raw column or
 * one block, never a weight, a transformed value or a mean; directions, with split columns only
 * when disclosed.
 */
class PartMessagesTest {

  static final List<LinearTerm> TERMS =
      List.of(
          new LinearTerm("vat__bin1", "vat", 0.5, 1.0, 0.25),
          new LinearTerm("vat__bin2", "vat", -0.3, 0.0, 0.5),
          new LinearTerm("grade=A", "grade", 1.2, 1.0, 0.1));

  static LinearPart part() {
    double margin = 0;
    double reference = 0;
    for (LinearTerm t : TERMS) {
      margin += t.term();
      reference += t.weight() * t.trainingMean();
    }
    return new LinearPart("tax-bureau", margin, reference, TERMS);
  }

  @Test
  void aLinearPartPerColumnSumsTheTermsOfEachRawColumn() {
    PartResponse r = PartMessages.toProto("j", part(), true);
    assertThat(r.getPerColumn()).isTrue();
    Map<String, Double> a = PartMessages.fromProto("tax-bureau", r).attributions();
    assertThat(a.keySet()).containsExactly("vat", "grade");
    assertThat(a.get("vat")).isCloseTo(0.5 * 0.75 + -0.3 * -0.5, within(1e-15));
    assertThat(a.get("grade")).isCloseTo(1.2 * 0.9, within(1e-15));
    String wire = r.toString();
    assertThat(wire).doesNotContain("vat__bin1").doesNotContain("0.25");
  }

  @Test
  void aLinearPartAsOneBlockGivesOnlyTheSumAndAddsUpToTheSameMargin() {
    LinearPart p = part();
    PartMessages.Received block =
        PartMessages.fromProto("tax-bureau", PartMessages.toProto("j", p, false));
    PartMessages.Received columns =
        PartMessages.fromProto("tax-bureau", PartMessages.toProto("j", p, true));
    assertThat(block.attributions().keySet()).containsExactly(PartMessages.BLOCK);
    assertThat(block.perColumn()).isFalse();
    double sum = columns.attributions().values().stream().mapToDouble(Double::doubleValue).sum();
    assertThat(block.attributions().get("*")).isCloseTo(sum, within(1e-12));
    assertThat(block.baseShare() + block.attributions().get("*"))
        .isCloseTo(p.margin(), within(1e-12));
    assertThat(((LinearPart) block.part()).terms()).isEmpty();
  }

  @Test
  void aTreePartSendsDirectionsAndSplitColumnsOnlyWhenDisclosed() {
    TreePart p =
        new TreePart(
            "utility",
            Map.of("0/0", true, "1/2", false),
            Map.of("0/0", "kwh_m1", "1/2", "late_payments_12m"));
    TreePart hidden =
        (TreePart) PartMessages.fromProto("utility", PartMessages.toProto("j", p, false)).part();
    assertThat(hidden.goesLeft()).isEqualTo(p.goesLeft());
    assertThat(hidden.splitColumns()).isEmpty();
    TreePart shown =
        (TreePart) PartMessages.fromProto("utility", PartMessages.toProto("j", p, true)).part();
    assertThat(shown.splitColumns()).isEqualTo(p.splitColumns());
    assertThat(shown.splitColumn(1, 2)).isEqualTo(Optional.of("late_payments_12m"));
  }

  @Test
  void anAnswerFromAnotherPartyOrAnEmptyOneIsRefused() {
    assertThatThrownBy(
            () ->
                PartMessages.fromProto(
                    "utility", PartResponse.newBuilder().setParty("tax-bureau").build()))
        .hasMessage("utility answered as 'tax-bureau'; its node serves another party");
    assertThatThrownBy(
            () ->
                PartMessages.fromProto(
                    "utility", PartResponse.newBuilder().setParty("utility").build()))
        .hasMessage("utility sent an empty part");
  }
}
