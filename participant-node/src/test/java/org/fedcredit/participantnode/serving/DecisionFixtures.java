package org.fedcredit.participantnode.serving;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fedcredit.participantnode.serving.Decision.Change;
import org.fedcredit.participantnode.serving.Decision.Contribution;
import org.fedcredit.participantnode.serving.Decision.Counterfactual;
import org.fedcredit.participantnode.serving.Decision.Explanation;
import org.fedcredit.participantnode.serving.Decision.ModelRef;
import org.fedcredit.participantnode.serving.Decision.Outcome;
import org.fedcredit.participantnode.serving.Decision.Reason;

/**
 * Realistic decisions of a bank's node for an SME applicant scored by a vertical LR over the bank's
 * columns, the power utility's columns (disclosed per column) and the tax bureau's (one block: its
 * policy forbids per-column disclosure). Attributions are additive: base + Σ = output, exactly in
 * binary (all values are multiples of 1/64).
 */
public final class DecisionFixtures {
  public static final ModelRef MODEL =
      new ModelRef("job-2026-11-sme-17", "9f3c2a1b", "vertical-lr");

  /**
   * Raw values the feature parties hold for the applicant. They are not in any decision; the page
   * tests check that none of them ever appears.
   */
  public static final List<String> PROVIDER_RAW_VALUES =
      List.of("1234567.89", "1,234,567.89", "48213", "48,213", "B+");

  private DecisionFixtures() {}

  /** Refused: 4 reasons, 2 counterfactuals, a tax-bureau block among the contributions. */
  public static Decision refused(String token, Instant at) {
    List<Contribution> contributions =
        List.of(
            new Contribution(
                "bank:overdraft_utilisation",
                "bank",
                false,
                texts("Overdraft use", "透支额度使用率"),
                0.875),
            new Contribution(
                "bank:late_payments_12m",
                "bank",
                false,
                texts("Late repayments in the last 12 months", "近12个月逾期还款次数"),
                0.5),
            new Contribution(
                "tax-bureau:*",
                "tax-bureau",
                true,
                texts("Information from the tax bureau", "来自税务局的信息"),
                0.390625),
            new Contribution(
                "utility:kwh_trend",
                "utility",
                false,
                texts("Power consumption trend (power utility)", "用电量趋势（电力公司）"),
                0.25),
            new Contribution(
                "bank:years_in_business",
                "bank",
                false,
                texts("Years in business", "经营年限"),
                -0.203125));
    double base = -2.25;
    double output = base + 0.875 + 0.5 + 0.390625 + 0.25 - 0.203125;
    return new Decision(
        token,
        at,
        "91310115MA1K4QXW2T",
        MODEL,
        Outcome.REFUSED,
        0.3936,
        548.2,
        "D",
        new Explanation("log-odds of default", base, output, contributions),
        List.of(
            new Reason(
                "R03", texts("Your overdraft is used close to its limit", "您的透支额度接近用满"), 0.875),
            new Reason("R07", texts("Recent late repayments on your loans", "近期贷款有逾期还款记录"), 0.5),
            new Reason(
                "R11",
                texts("Information from the tax bureau points to higher risk", "税务局提供的信息显示风险偏高"),
                0.390625),
            new Reason("R14", texts("Your power consumption is falling", "您的用电量呈下降趋势"), 0.25)),
        List.of(
            new Counterfactual(
                List.of(
                    new Change(
                        "overdraft_utilisation", texts("Overdraft use", "透支额度使用率"), 0.92, 0.55)),
                612.5,
                0.1875),
            new Counterfactual(
                List.of(
                    new Change(
                        "overdraft_utilisation", texts("Overdraft use", "透支额度使用率"), 0.92, 0.7),
                    new Change(
                        "late_payments_12m",
                        texts("Late repayments in the last 12 months", "近12个月逾期还款次数"),
                        3,
                        0)),
                630,
                0.15625)),
        Map.of());
  }

  /** Approved: no reasons, no counterfactuals. */
  public static Decision approved(String token, Instant at) {
    double base = -2.25;
    List<Contribution> contributions =
        List.of(
            new Contribution(
                "bank:overdraft_utilisation",
                "bank",
                false,
                texts("Overdraft use", "透支额度使用率"),
                -0.5),
            new Contribution(
                "tax-bureau:*",
                "tax-bureau",
                true,
                texts("Information from the tax bureau", "来自税务局的信息"),
                -0.25),
            new Contribution(
                "utility:kwh_trend",
                "utility",
                false,
                texts("Power consumption trend (power utility)", "用电量趋势（电力公司）"),
                0.125));
    return new Decision(
        token,
        at,
        "91440300MA5F8R6L0K",
        MODEL,
        Outcome.APPROVED,
        0.0402,
        701,
        "A",
        new Explanation("log-odds of default", base, base - 0.5 - 0.25 + 0.125, contributions),
        List.of(),
        List.of(),
        Map.of());
  }

  /** Cannot decide: the tax bureau did not answer in time. */
  public static Decision cannotDecide(String token, Instant at) {
    return new Decision(
        token,
        at,
        "92330102MA2H3C7P1X",
        MODEL,
        Outcome.CANNOT_DECIDE,
        Double.NaN,
        Double.NaN,
        "",
        null,
        List.of(),
        List.of(),
        texts(
            "The tax bureau did not answer in time, so no decision could be made. Please apply"
                + " again later.",
            "税务局未能及时响应，暂时无法作出决定。请稍后重新申请。"));
  }

  public static Map<String, String> texts(String en, String zh) {
    return Map.of("en", en, "zh", zh);
  }
}
