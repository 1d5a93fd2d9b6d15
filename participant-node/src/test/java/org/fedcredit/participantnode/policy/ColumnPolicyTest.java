package org.fedcredit.participantnode.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.participantnode.policy.ColumnPolicy.Accepted;
import org.fedcredit.participantnode.policy.ColumnPolicy.Approval;
import org.fedcredit.participantnode.policy.ColumnPolicy.Rejected;
import org.fedcredit.participantnode.policy.ColumnPolicy.Rule;
import org.junit.jupiter.api.Test;

class ColumnPolicyTest {

  static final PartyId BANK = PartyId.of("bank");

  final ColumnPolicy policy =
      new ColumnPolicy(
          Approval.AUTO,
          List.of(
              new Rule(
                  Set.of(BANK), Set.of("credit-scoring"), "invoices", Set.of("vat_m2", "vat_m3")),
              new Rule(
                  Set.of(BANK, PartyId.of("bank-b")),
                  Set.of("credit-scoring", "post-loan"),
                  "invoices",
                  Set.of("grade")),
              new Rule(Set.of(PartyId.of("bank-b")), Set.of("post-loan"), "power", Set.of("*"))));

  @Test
  void acceptsAllowedColumnsAddingUpMatchingRules() {
    assertThat(policy.evaluate(BANK, "credit-scoring", "invoices", List.of("vat_m2", "grade")))
        .isEqualTo(new Accepted(Approval.AUTO));
    assertThat(policy.evaluate(PartyId.of("bank-b"), "post-loan", "power", List.of("kwh_m1", "x")))
        .isEqualTo(new Accepted(Approval.AUTO));
  }

  @Test
  void rejectsNamingTheFirstOffendingColumn() {
    var d =
        policy.evaluate(BANK, "credit-scoring", "invoices", List.of("vat_m2", "vat_m1", "secret"));
    assertThat(d.accepted()).isFalse();
    assertThat(d)
        .isEqualTo(
            new Rejected(
                "column 'vat_m1' is not allowed for bank / credit-scoring on dataset invoices"));
    // grade is allowed for post-loan, vat_m2 only for credit-scoring
    assertThat(policy.evaluate(BANK, "post-loan", "invoices", List.of("grade", "vat_m2")))
        .isEqualTo(
            new Rejected(
                "column 'vat_m2' is not allowed for bank / post-loan on dataset invoices"));
  }

  @Test
  void rejectsRequesterPurposeAndDatasetInThatOrder() {
    assertThat(policy.evaluate(PartyId.of("evil-bank"), "marketing", "x", List.of("a")))
        .isEqualTo(new Rejected("requester 'evil-bank' is not allowed"));
    assertThat(policy.evaluate(BANK, "marketing", "x", List.of("a")))
        .isEqualTo(new Rejected("purpose 'marketing' is not allowed for bank"));
    assertThat(policy.evaluate(BANK, "credit-scoring", "power", List.of("kwh_m1")))
        .isEqualTo(new Rejected("dataset 'power' is not allowed for bank / credit-scoring"));
  }

  @Test
  void anEmptyRequestIsNeverReadAsEverything() {
    assertThat(policy.evaluate(PartyId.of("bank-b"), "post-loan", "power", List.of()))
        .isInstanceOf(Rejected.class)
        .extracting(d -> ((Rejected) d).reason())
        .asString()
        .contains("no columns requested");
  }

  @Test
  void manualApprovalIsCarriedByTheAcceptance() {
    ColumnPolicy manual = new ColumnPolicy(Approval.MANUAL, policy.rules());
    assertThat(manual.evaluate(BANK, "credit-scoring", "invoices", List.of("grade")))
        .isEqualTo(new Accepted(Approval.MANUAL));
  }

  @Test
  void noRulesRejectEverythingAndEmptyRulesAreRefused() {
    assertThat(new ColumnPolicy(Approval.AUTO, List.of()).evaluate(BANK, "p", "d", List.of("a")))
        .isEqualTo(new Rejected("requester 'bank' is not allowed"));
    assertThatThrownBy(() -> new Rule(Set.of(BANK), Set.of("p"), "d", Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
