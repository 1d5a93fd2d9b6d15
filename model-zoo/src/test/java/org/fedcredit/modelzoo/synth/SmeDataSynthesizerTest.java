package org.fedcredit.modelzoo.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.fedcredit.modelzoo.lr.VerticalLrConfig;
import org.fedcredit.modelzoo.synth.SmeDataSynthesizer.DataSet;
import org.fedcredit.modelzoo.synth.SmeDataSynthesizer.Options;
import org.fedcredit.modelzoo.synth.SmeDataSynthesizer.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmeDataSynthesizerTest {

  static final Options SMALL = Options.defaults().withEnterprises(800).withSeed(5);
  static final DataSet DATA = SmeDataSynthesizer.generate(SMALL);
  static final DataSet LARGE = SmeDataSynthesizer.generate(SMALL.withEnterprises(3_000));

  static Set<String> ids(Table t) {
    Set<String> s = new HashSet<>();
    t.rows().forEach(r -> s.add(r.get(0)));
    return s;
  }

  static List<String> monthly(String prefix) {
    List<String> out = new ArrayList<>();
    for (int m = 1; m <= 12; m++) {
      out.add(prefix + m);
    }
    return out;
  }

  @Test
  void sameOptionsGiveTheSameBytesAndAnotherSeedDoesNot() {
    DataSet again = SmeDataSynthesizer.generate(SMALL);
    DataSet other = SmeDataSynthesizer.generate(SMALL.withSeed(6));
    for (int k = 0; k < DATA.tables().size(); k++) {
      assertThat(again.tables().get(k).toCsv()).isEqualTo(DATA.tables().get(k).toCsv());
      assertThat(other.tables().get(k).toCsv()).isNotEqualTo(DATA.tables().get(k).toCsv());
    }
  }

  @Test
  void aDifferentMissingRateChangesOnlyWhichCellsAreEmpty() {
    DataSet none = SmeDataSynthesizer.generate(SMALL.withMissingRate(0));
    assertThat(none.bank().toCsv()).isEqualTo(DATA.bank().toCsv());
    assertThat(ids(none.taxBureau())).isEqualTo(ids(DATA.taxBureau()));
    int vat1 = none.taxBureau().column("vat_m1");
    assertThat(none.taxBureau().rows()).allSatisfy(r -> assertThat(r.get(vat1)).isNotEmpty());
  }

  @Test
  void headersAreTheDocumentedOnes() {
    assertThat(DATA.bank().header())
        .containsExactly(
            "id",
            "loan_amount",
            "loan_term_months",
            "years_as_customer",
            "past_overdue_count",
            "credit_utilization",
            "industry",
            "region",
            "default");
    List<String> tax = new ArrayList<>(List.of("id"));
    tax.addAll(monthly("vat_m"));
    tax.addAll(
        List.of(
            "invoice_count_12m",
            "buyer_count_12m",
            "vat_growth_h2_h1",
            "tax_grade",
            "filing_delays_12m"));
    assertThat(DATA.taxBureau().header()).isEqualTo(tax);
    List<String> utility = new ArrayList<>(List.of("id"));
    utility.addAll(monthly("kwh_m"));
    utility.addAll(List.of("kwh_growth_h2_h1", "late_payments_12m"));
    assertThat(DATA.utility().header()).isEqualTo(utility);
    assertThat(DATA.taxBureauConsent().header())
        .containsExactly("enterprise_id", "scope", "expires");
    assertThat(DATA.utilityConsent().header()).containsExactly("enterprise_id", "scope", "expires");
    assertThat(DATA.holdoutIds().header()).containsExactly("id");
  }

  @Test
  void idsAreUniqueValidUnifiedSocialCreditCodesSortedInEveryFile() {
    Pattern shape = Pattern.compile("91[0-9]{6}MA[0-9A-HJ-NP-RTUW-Y]{6}[0-9X][0-9A-HJ-NP-RTUW-Y]");
    for (Table t : DATA.tables()) {
      List<String> col = t.rows().stream().map(r -> r.get(0)).toList();
      assertThat(col).as(t.fileName()).doesNotHaveDuplicates().isSorted();
      assertThat(col)
          .as(t.fileName())
          .allSatisfy(
              id -> {
                assertThat(id).matches(shape);
                assertThat(SmeDataSynthesizer.usccCheck(id.substring(0, 17)))
                    .isEqualTo(id.charAt(17));
              });
    }
  }

  @Test
  void usccCheckCharacterMatchesTheStandardsSampleCode() {
    // The sample code of GB 32100-2015 and a registered enterprise's code.
    assertThat(SmeDataSynthesizer.usccCheck("91350100M000100Y4")).isEqualTo('3');
    assertThat(SmeDataSynthesizer.usccCheck("91440300708461136")).isEqualTo('T');
  }

  @Test
  void numbersArePlainDecimalsRoundedToTheirPlaces() {
    assertThat(SmeDataSynthesizer.fmt(2, 1234.5)).isEqualTo("1234.50");
    assertThat(SmeDataSynthesizer.fmt(2, 0.004)).isEqualTo("0.00");
    assertThat(SmeDataSynthesizer.fmt(4, -0.03291)).isEqualTo("-0.0329");
    assertThat(SmeDataSynthesizer.fmt(4, -0.00001)).isEqualTo("0.0000");
    assertThat(SmeDataSynthesizer.fmt(0, 13344975.6)).isEqualTo("13344976");
    assertThat(SmeDataSynthesizer.fmt(2, 1e7 + 0.07)).isEqualTo("10000000.07");
  }

  @Test
  void labelsAreZeroOrOneWithARealisticDefaultRate() {
    int label = DATA.bank().column("default");
    List<String> y = DATA.bank().rows().stream().map(r -> r.get(label)).toList();
    assertThat(y).allSatisfy(v -> assertThat(v).isIn("0", "1"));
    double rate = y.stream().filter("1"::equals).count() / (double) y.size();
    assertThat(rate).isBetween(0.07, 0.17);
  }

  @Test
  void partiesOverlapPartially() {
    DataSet d = LARGE;
    Set<String> bank = ids(d.bank());
    Set<String> tax = ids(d.taxBureau());
    Set<String> utility = ids(d.utility());
    assertThat(bank.size() / 3000.0).isCloseTo(0.70, within(0.03));
    assertThat(shareOf(bank, tax)).isCloseTo(0.90, within(0.03));
    assertThat(shareOf(bank, utility)).isCloseTo(0.80, within(0.03));
    Set<String> taxOnly = new HashSet<>(tax);
    taxOnly.removeAll(bank);
    Set<String> utilityOnly = new HashSet<>(utility);
    utilityOnly.removeAll(bank);
    assertThat(taxOnly.size()).isGreaterThan(500);
    assertThat(utilityOnly.size()).isGreaterThan(400);
  }

  static double shareOf(Set<String> base, Set<String> other) {
    return base.stream().filter(other::contains).count() / (double) base.size();
  }

  @Test
  void monthlyCellsAreSometimesMissingAndOtherwiseNumbers() {
    for (var check :
        List.of(
            new Object[] {DATA.taxBureau(), monthly("vat_m")},
            new Object[] {DATA.utility(), monthly("kwh_m")})) {
      Table t = (Table) check[0];
      @SuppressWarnings("unchecked")
      List<String> cols = (List<String>) check[1];
      int empty = 0;
      int cells = 0;
      for (List<String> r : t.rows()) {
        for (String c : cols) {
          String v = r.get(t.column(c));
          cells++;
          if (v.isEmpty()) {
            empty++;
          } else {
            assertThat(Double.parseDouble(v)).as(t.fileName() + " " + c).isNotNegative();
          }
        }
      }
      assertThat(empty / (double) cells).as(t.fileName()).isBetween(0.01, 0.03);
    }
    int grade = DATA.taxBureau().column("tax_grade");
    assertThat(DATA.taxBureau().rows().stream().map(r -> r.get(grade)).distinct())
        .containsExactlyInAnyOrderElementsOf(SmeDataSynthesizer.TAX_GRADES);
  }

  @Test
  void consentRecordsMixValidExpiredAndMissing() {
    DataSet d = LARGE;
    LocalDate asOf = d.options().asOf();
    for (Table[] pair :
        new Table[][] {{d.taxBureauConsent(), d.taxBureau()}, {d.utilityConsent(), d.utility()}}) {
      Set<String> eligible = ids(pair[1]);
      eligible.retainAll(ids(d.bank()));
      assertThat(ids(pair[0])).isSubsetOf(eligible);
      assertThat(pair[0].rows().size() / (double) eligible.size()).isCloseTo(0.85, within(0.04));
      int expired = 0;
      for (List<String> r : pair[0].rows()) {
        assertThat(r.get(1)).isEqualTo("credit-scoring");
        LocalDate expires = LocalDate.parse(r.get(2));
        assertThat(expires).isNotEqualTo(asOf);
        expired += expires.isBefore(asOf) ? 1 : 0;
      }
      assertThat(expired / (double) pair[0].rows().size()).isCloseTo(0.12, within(0.04));
    }
  }

  @Test
  void holdoutIsAQuarterOfTheBanksCustomers() {
    Set<String> holdout = ids(DATA.holdoutIds());
    assertThat(holdout).isSubsetOf(ids(DATA.bank()));
    assertThat(holdout.size()).isEqualTo(Math.round(0.25 * DATA.bank().rows().size()));
  }

  @Test
  void writeRefusesToOverwriteUnlessAsked(@TempDir Path dir) throws Exception {
    List<Path> files = SmeDataSynthesizer.write(DATA, dir, false);
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "bank.csv",
            "tax_bureau.csv",
            "utility.csv",
            "tax_bureau_consent.csv",
            "utility_consent.csv",
            "holdout_ids.csv");
    for (int k = 0; k < files.size(); k++) {
      Table t = DATA.tables().get(k);
      List<String> lines = Files.readAllLines(files.get(k), StandardCharsets.UTF_8);
      assertThat(lines).hasSize(t.rows().size() + 1);
      assertThat(List.of(lines.get(0).split(",", -1))).isEqualTo(t.header());
      assertThat(lines.subList(1, lines.size()))
          .allSatisfy(l -> assertThat(l.split(",", -1)).hasSize(t.header().size()));
    }
    try (var s = Files.list(dir)) {
      assertThat(s).hasSize(6); // no temporary files left behind
    }
    Files.writeString(dir.resolve("utility.csv"), "mine");
    assertThatThrownBy(() -> SmeDataSynthesizer.write(DATA, dir, false))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("bank.csv");
    assertThat(Files.readString(dir.resolve("utility.csv"))).isEqualTo("mine");
    SmeDataSynthesizer.write(DATA, dir, true);
    assertThat(Files.readString(dir.resolve("utility.csv"))).isEqualTo(DATA.utility().toCsv());
  }

  @Test
  void optionsRejectOutOfRangeValuesByName() {
    assertThatThrownBy(() -> Options.defaults().withEnterprises(10))
        .hasMessageContaining("enterprises");
    assertThatThrownBy(() -> Options.defaults().withMissingRate(1.5))
        .hasMessageContaining("missingRate");
    assertThatThrownBy(() -> Options.defaults().withCoverage(0.7, 0, 0.8))
        .hasMessageContaining("taxCoverage");
  }

  /**
   * The planted signal: the providers' columns add at least 0.04 hold-out AUC to the bank's, and
   * the all-column model stays in a realistic range.
   */
  @Test
  void allPartiesBeatTheBankAloneByAClearMargin() {
    VerticalLrConfig config = VerticalLrConfig.defaults().withTolerance(0);
    for (long seed : new long[] {42, 7}) {
      DataSet d =
          SmeDataSynthesizer.generate(Options.defaults().withEnterprises(4_000).withSeed(seed));
      CentralisedBaseline.Result r = CentralisedBaseline.evaluate(d, config);
      assertThat(r.holdoutRows()).isGreaterThan(400);
      assertThat(r.margin()).as("seed %d: %s", seed, r).isGreaterThanOrEqualTo(0.04);
      assertThat(r.allAuc()).as("seed %d: %s", seed, r).isBetween(0.72, 0.88);
    }
  }

  /** Invoices falling while power use holds: those enterprises default far more often. */
  @Test
  void invoicesFallingWhilePowerHoldsMarksRisk() {
    DataSet d = SmeDataSynthesizer.generate(Options.defaults().withSeed(3));
    Table tax = d.taxBureau();
    Table utility = d.utility();
    java.util.Map<String, Double> vat = new java.util.HashMap<>();
    int vg = tax.column("vat_growth_h2_h1");
    tax.rows().stream()
        .filter(r -> !r.get(vg).isEmpty())
        .forEach(r -> vat.put(r.get(0), Double.parseDouble(r.get(vg))));
    java.util.Map<String, Double> kwh = new java.util.HashMap<>();
    int kg = utility.column("kwh_growth_h2_h1");
    utility.rows().stream()
        .filter(r -> !r.get(kg).isEmpty())
        .forEach(r -> kwh.put(r.get(0), Double.parseDouble(r.get(kg))));
    int label = d.bank().column("default");
    int[] gap = new int[2];
    int[] gapDefaults = new int[2];
    for (List<String> r : d.bank().rows()) {
      String id = r.get(0);
      if (vat.containsKey(id) && kwh.containsKey(id) && kwh.get(id) > -0.05) {
        int k = vat.get(id) - kwh.get(id) < -0.25 ? 1 : 0;
        gap[k]++;
        gapDefaults[k] += Integer.parseInt(r.get(label));
      }
    }
    double withGap = gapDefaults[1] / (double) gap[1];
    double without = gapDefaults[0] / (double) gap[0];
    assertThat(gap[1]).isGreaterThan(50);
    assertThat(withGap)
        .as("%d of %d vs %d of %d", gapDefaults[1], gap[1], gapDefaults[0], gap[0])
        .isGreaterThan(2.5 * without);
  }
}
