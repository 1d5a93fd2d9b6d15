package org.fedcredit.modelzoo.synth;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Generates a synthetic but realistic three-institution SME (小微企业) credit data set: a bank with
 * loans and the default label, a tax bureau (税务) with twelve months of VAT invoicing, and a power
 * utility with twelve months of electricity use, over partly overlapping sets of enterprises, plus
 * the consent records and the bank's hold-out ids. Same {@link Options}, same bytes, on any JVM.
 *
 * <p><b>Who knows whom.</b> Of {@link Options#enterprises()} enterprises, each is a bank customer
 * with probability {@link Options#bankShare()}, in the tax bureau's extract with probability {@link
 * Options#taxCoverage()} and in the utility's with probability {@link Options#utilityCoverage()},
 * independently; so the tax bureau covers about 90 % and the utility about 80 % of the bank's
 * customers (defaults), both also hold enterprises the bank does not know, and about 72 % of the
 * bank's customers are held by all three.
 *
 * <p><b>Generative model</b> (details and units in {@code docs/synthetic-data.md}). Every
 * enterprise has a latent health {@code h ~ N(0,1)}, an industry, a region, an age and a size.
 *
 * <ul>
 *   <li>Real activity drifts over the year with log-slope {@code a = 0.25·h + N(0, 0.12)}. Monthly
 *       power use follows real activity (production runs on power): {@code kWh_t = base · exp(a·(t
 *       − 5.5)/12 + season + N(0, 0.08))}, {@code base} = invoiced amount × an industry intensity.
 *   <li>Invoiced amounts follow the same activity with more noise ({@code N(0, 0.20)} a month, and
 *       a per-enterprise {@code N(0, 0.15)} shift of the second half-year: large contracts invoiced
 *       early or late), except for the enterprises that stop invoicing part of their sales
 *       (probability {@code σ(−2.4 − 0.6·h)}, about 10 %): from the seventh month their invoices
 *       fall, within three months, by a factor {@code exp(−g)}, {@code g ~ U(0.4, 1.0)}, while
 *       power use does not. A tax-side decline without a utility decline is the classic cross-check
 *       of the domain: revenue moved to personal accounts, or misreporting.
 *   <li>Tax credit grade (纳税信用等级) A/B/C/D from {@code 0.9·h + N(0, 0.8)} (minus 0.3 when hiding),
 *       grade M for enterprises under one year old; filing delays ~ Poisson({@code exp(−1.0 −
 *       0.7·h)}); utility late payments ~ Poisson({@code exp(−1.3 − 0.8·h)}).
 *   <li>The bank sees its own relationship only: overdue episodes ~ Poisson({@code exp(−1.8 −
 *       0.6·h)}), credit-line utilisation {@code σ(−0.2 − 0.6·h + N(0, 0.9))}, tenure weakly tied
 *       to {@code h}, loan amount tied to size; so the bank's columns are weakly informative.
 *   <li>Default (90+ days past due within 12 months): {@code logit = b0 − 1.4·h + 1.6·[hides
 *       invoices] + 0.5·[under two years old] + industry and region offsets}, with {@code b0} set
 *       by bisection so that the mean default probability is 11 %.
 * </ul>
 *
 * <p><b>Planted signal.</b> The Taylor-loss logistic regression of {@code
 * examples/sme/vertical-lr.yaml} (mean imputation, z-scores) on all three parties' columns reaches
 * a hold-out AUC of 0.77–0.82 at the defaults (seeds 1, 3, 5, 7, 11, 13, 42, 99); the bank's
 * columns alone 0.61–0.68, a margin of 0.10–0.17. The margin comes from the providers' proxies for
 * {@code h} and from the invoice-versus-power gap, which only the two providers together reveal
 * ({@code vat_growth_h2_h1} falling while {@code kwh_growth_h2_h1} holds).
 *
 * <p><b>Missing values</b> are empty cells: each monthly cell of the providers is missing with
 * probability {@link Options#missingRate()}; derived growth fields are empty when a half-year has
 * no invoices or readings; the bank's credit-line utilisation is empty for first-loan customers
 * (首贷, no credit line yet).
 *
 * <p><b>Consent</b> (数据授权使用): each provider's consent file lists, for the bank customers it holds,
 * a {@code credit-scoring} authorisation with probability {@link Options#consentRate()}, of which a
 * share {@link Options#expiredShare()} has expired before {@link Options#asOf()}; the rest have no
 * record.
 */
public final class SmeDataSynthesizer {

  /** The bank's file: loans, relationship, {@code default} label. */
  public static final String BANK_FILE = "bank.csv";

  /** The tax bureau's file: VAT invoicing, grade, filing delays. */
  public static final String TAX_FILE = "tax_bureau.csv";

  /** The utility's file: monthly kWh and payment delinquencies. */
  public static final String UTILITY_FILE = "utility.csv";

  /** The tax bureau's consent records. */
  public static final String TAX_CONSENT_FILE = "tax_bureau_consent.csv";

  /** The utility's consent records. */
  public static final String UTILITY_CONSENT_FILE = "utility_consent.csv";

  /** The bank's hold-out ids (header {@code id}). */
  public static final String HOLDOUT_FILE = "holdout_ids.csv";

  /** The scope every consent record grants. */
  public static final String CONSENT_SCOPE = "credit-scoring";

  /** Industries (categorical {@code industry} at the bank), in generation order. */
  public static final List<String> INDUSTRIES =
      List.of(
          "manufacturing",
          "wholesale_retail",
          "catering",
          "construction",
          "logistics",
          "agriculture",
          "it_services");

  /** Regions (categorical {@code region} at the bank), in generation order. */
  public static final List<String> REGIONS =
      List.of("shanghai", "suzhou", "hangzhou", "shenzhen", "wuhan", "chengdu");

  /** Tax credit grades (纳税信用等级), M = newly established. */
  public static final List<String> TAX_GRADES = List.of("A", "B", "M", "C", "D");

  // Per industry: population weight, default offset, kWh per 1,000 RMB invoiced, and the seasonal
  // log-factor per calendar month (January first).
  private static final double[] INDUSTRY_WEIGHT = {0.24, 0.24, 0.14, 0.10, 0.10, 0.08, 0.10};
  private static final double[] INDUSTRY_RISK = {0.0, 0.10, 0.30, 0.35, 0.10, 0.20, -0.10};
  private static final double[] KWH_PER_KRMB = {120, 25, 80, 30, 40, 60, 15};
  private static final double[][] SEASON = {
    {0.00, -0.35, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.05, 0.10}, // factories: Spring
    {
      0.05, -0.05, 0.00, 0.00, 0.00, 0.05, 0.00, 0.00, 0.00, 0.00, 0.25, 0.20
    }, // Double 11, year end
    {0.25, 0.20, -0.05, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.10, 0.00, 0.05}, // Spring Festival
    {-0.30, -0.35, 0.00, 0.10, 0.15, 0.10, 0.05, 0.05, 0.10, 0.05, 0.00, -0.05}, // winter stop
    {0.05, -0.20, 0.00, 0.00, 0.00, 0.05, 0.00, 0.00, 0.00, 0.00, 0.30, 0.15}, // parcels in Nov
    {-0.15, -0.10, -0.10, 0.00, 0.00, 0.00, 0.00, 0.05, 0.30, 0.35, 0.30, 0.00}, // harvest Sep-Nov
    {0.00, -0.10, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.15}, // year-end projects
  };

  private static final double[] REGION_WEIGHT = {0.22, 0.16, 0.16, 0.20, 0.14, 0.12};
  private static final double[] REGION_RISK = {-0.10, -0.05, -0.05, 0.0, 0.10, 0.15};
  // Administrative division codes of the regions, positions 3-8 of a unified social credit code.
  private static final String[] REGION_CODE = {
    "310000", "320500", "330100", "440300", "420100", "510100"
  };

  private static final int MONTHS = 12;

  /**
   * What to generate. Every field has a documented default ({@link #defaults()}); change one with
   * the {@code with...} methods.
   *
   * @param enterprises all enterprises in the region, known to at least one party or not (default
   *     6,000)
   * @param seed the random seed; the same options give the same files (default 42)
   * @param bankShare share of enterprises that are bank customers (default 0.70)
   * @param taxCoverage share of enterprises in the tax bureau's extract (default 0.90)
   * @param utilityCoverage share of enterprises in the utility's extract (default 0.80)
   * @param missingRate probability that a provider's monthly cell is empty (default 0.02)
   * @param consentRate share of bank customers held by a provider with a consent record at that
   *     provider (default 0.85)
   * @param expiredShare share of consent records that expired before {@code asOf} (default 0.12)
   * @param holdoutShare share of bank customers in the hold-out file (default 0.25)
   * @param asOf the extract date: the twelve months end with its month, consent expiry is judged
   *     against it (default 2026-03-31)
   */
  public record Options(
      int enterprises,
      long seed,
      double bankShare,
      double taxCoverage,
      double utilityCoverage,
      double missingRate,
      double consentRate,
      double expiredShare,
      double holdoutShare,
      LocalDate asOf) {

    /** Default number of enterprises. */
    public static final int DEFAULT_ENTERPRISES = 6_000;

    /** Default seed. */
    public static final long DEFAULT_SEED = 42;

    public Options {
      Objects.requireNonNull(asOf, "asOf");
      if (enterprises < 50 || enterprises > 5_000_000) {
        throw new IllegalArgumentException(
            "enterprises must be between 50 and 5,000,000, got " + enterprises);
      }
      share("bankShare", bankShare, false);
      share("taxCoverage", taxCoverage, false);
      share("utilityCoverage", utilityCoverage, false);
      share("missingRate", missingRate, true);
      share("consentRate", consentRate, true);
      share("expiredShare", expiredShare, true);
      share("holdoutShare", holdoutShare, true);
    }

    private static void share(String name, double v, boolean zeroAllowed) {
      if (!(v <= 1) || !(zeroAllowed ? v >= 0 : v > 0)) {
        throw new IllegalArgumentException(
            name + " must be in " + (zeroAllowed ? "[0, 1]" : "(0, 1]") + ", got " + v);
      }
    }

    /** 6,000 enterprises, seed 42, and the defaults listed on the record. */
    public static Options defaults() {
      return new Options(
          DEFAULT_ENTERPRISES,
          DEFAULT_SEED,
          0.70,
          0.90,
          0.80,
          0.02,
          0.85,
          0.12,
          0.25,
          LocalDate.of(2026, 3, 31));
    }

    public Options withEnterprises(int n) {
      return new Options(
          n,
          seed,
          bankShare,
          taxCoverage,
          utilityCoverage,
          missingRate,
          consentRate,
          expiredShare,
          holdoutShare,
          asOf);
    }

    public Options withSeed(long s) {
      return new Options(
          enterprises,
          s,
          bankShare,
          taxCoverage,
          utilityCoverage,
          missingRate,
          consentRate,
          expiredShare,
          holdoutShare,
          asOf);
    }

    public Options withCoverage(double bank, double tax, double utility) {
      return new Options(
          enterprises,
          seed,
          bank,
          tax,
          utility,
          missingRate,
          consentRate,
          expiredShare,
          holdoutShare,
          asOf);
    }

    public Options withMissingRate(double rate) {
      return new Options(
          enterprises,
          seed,
          bankShare,
          taxCoverage,
          utilityCoverage,
          rate,
          consentRate,
          expiredShare,
          holdoutShare,
          asOf);
    }

    public Options withConsent(double rate, double expired) {
      return new Options(
          enterprises,
          seed,
          bankShare,
          taxCoverage,
          utilityCoverage,
          missingRate,
          rate,
          expired,
          holdoutShare,
          asOf);
    }

    public Options withHoldoutShare(double share) {
      return new Options(
          enterprises,
          seed,
          bankShare,
          taxCoverage,
          utilityCoverage,
          missingRate,
          consentRate,
          expiredShare,
          share,
          asOf);
    }

    public Options withAsOf(LocalDate date) {
      return new Options(
          enterprises,
          seed,
          bankShare,
          taxCoverage,
          utilityCoverage,
          missingRate,
          consentRate,
          expiredShare,
          holdoutShare,
          date);
    }
  }

  /**
   * One CSV file's content: a header and rows of cells, already formatted (an empty cell is a
   * missing value).
   */
  public record Table(String fileName, List<String> header, List<List<String>> rows) {
    public Table {
      header = List.copyOf(header);
      rows = rows.stream().map(List::copyOf).toList();
      for (List<String> r : rows) {
        if (r.size() != header.size()) {
          throw new IllegalArgumentException(
              fileName + ": a row has " + r.size() + " cells for " + header.size() + " columns");
        }
      }
    }

    /** The index of a header column. */
    public int column(String name) {
      int i = header.indexOf(name);
      if (i < 0) {
        throw new IllegalArgumentException(fileName + " has no column '" + name + "'");
      }
      return i;
    }

    /** The CSV text: header and rows, comma-separated, one line each ending in {@code \n}. */
    public String toCsv() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.join(",", header)).append('\n');
      for (List<String> r : rows) {
        sb.append(String.join(",", r)).append('\n');
      }
      return sb.toString();
    }
  }

  /** Everything one run generates, one {@link Table} per file. */
  public record DataSet(
      Options options,
      Table bank,
      Table taxBureau,
      Table utility,
      Table taxBureauConsent,
      Table utilityConsent,
      Table holdoutIds) {

    /** All tables, in the order they are written. */
    public List<Table> tables() {
      return List.of(bank, taxBureau, utility, taxBureauConsent, utilityConsent, holdoutIds);
    }
  }

  private SmeDataSynthesizer() {}

  /** Generates the data set; a pure function of the options. */
  public static DataSet generate(Options o) {
    int n = o.enterprises();
    // Independent streams per concern, so that e.g. a different missing rate changes only which
    // cells are empty, not the enterprises themselves.
    Random world = stream(o.seed(), 1);
    Random membership = stream(o.seed(), 2);
    Random noise = stream(o.seed(), 3);
    Random holes = stream(o.seed(), 4);
    Random consent = stream(o.seed(), 5);
    Random ids = stream(o.seed(), 6);

    YearMonth last = YearMonth.from(o.asOf());
    int[] calendarMonth = new int[MONTHS];
    for (int t = 0; t < MONTHS; t++) {
      calendarMonth[t] = last.minusMonths(MONTHS - 1 - t).getMonthValue() - 1;
    }

    List<String> bankHeader =
        List.of(
            "id",
            "loan_amount",
            "loan_term_months",
            "years_as_customer",
            "past_overdue_count",
            "credit_utilization",
            "industry",
            "region",
            "default");
    List<String> taxHeader = new ArrayList<>(List.of("id"));
    List<String> utilityHeader = new ArrayList<>(List.of("id"));
    for (int t = 1; t <= MONTHS; t++) {
      taxHeader.add("vat_m" + t);
      utilityHeader.add("kwh_m" + t);
    }
    taxHeader.addAll(
        List.of(
            "invoice_count_12m",
            "buyer_count_12m",
            "vat_growth_h2_h1",
            "tax_grade",
            "filing_delays_12m"));
    utilityHeader.addAll(List.of("kwh_growth_h2_h1", "late_payments_12m"));
    List<String> consentHeader = List.of("enterprise_id", "scope", "expires");

    List<List<String>> bankRows = new ArrayList<>();
    List<List<String>> taxRows = new ArrayList<>();
    List<List<String>> utilityRows = new ArrayList<>();
    List<List<String>> taxConsent = new ArrayList<>();
    List<List<String>> utilityConsent = new ArrayList<>();
    List<String> bankIds = new ArrayList<>();

    // Latent state of every enterprise first (the default intercept is calibrated on it).
    int[] industry = new int[n];
    int[] region = new int[n];
    double[] health = new double[n];
    double[] ageYears = new double[n];
    double[] monthlyRevenue = new double[n];
    double[] slope = new double[n];
    double[] hiddenDrop = new double[n];
    double[] risk = new double[n];
    for (int i = 0; i < n; i++) {
      industry[i] = pick(world, INDUSTRY_WEIGHT);
      region[i] = pick(world, REGION_WEIGHT);
      health[i] = world.nextGaussian();
      ageYears[i] = 0.3 + exponential(world, 8.0);
      // Median ~350k RMB invoiced a month (~4 million a year); bigger for manufacturing.
      monthlyRevenue[i] =
          350_000
              * Math.exp(0.9 * world.nextGaussian() + 0.15 * health[i])
              * (industry[i] == 0 ? 1.6 : 1.0);
      slope[i] = 0.25 * health[i] + 0.12 * world.nextGaussian();
      boolean hides = world.nextDouble() < sigmoid(-2.4 - 0.6 * health[i]);
      hiddenDrop[i] = hides ? 0.4 + 0.6 * world.nextDouble() : 0;
      risk[i] =
          -1.4 * health[i]
              + (hides ? 1.6 : 0)
              + (ageYears[i] < 2 ? 0.5 : 0)
              + INDUSTRY_RISK[industry[i]]
              + REGION_RISK[region[i]];
    }
    double intercept = interceptFor(risk, 0.11);

    Set<String> usedIds = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String id = unifiedSocialCreditCode(ids, REGION_CODE[region[i]], usedIds);
      double h = health[i];
      boolean inBank = membership.nextDouble() < o.bankShare();
      boolean inTax = membership.nextDouble() < o.taxCoverage();
      boolean inUtility = membership.nextDouble() < o.utilityCoverage();
      int defaulted = noise.nextDouble() < sigmoid(intercept + risk[i]) ? 1 : 0;

      // Months since registration limit what exists: an enterprise registered 4 months ago has
      // invoices and readings for its last 4 months only (0 before).
      int activeMonths = (int) Math.min(MONTHS, Math.ceil(ageYears[i] * 12));
      double[] vat = new double[MONTHS];
      double[] kwh = new double[MONTHS];
      double kwhBase =
          monthlyRevenue[i]
              / 1000
              * KWH_PER_KRMB[industry[i]]
              * Math.exp(0.3 * noise.nextGaussian());
      // Large contracts invoiced early or late shift invoicing between the half-years without any
      // change in activity: invoices alone measure the trend with noise, power use does not.
      double invoiceTiming = 0.15 * noise.nextGaussian();
      for (int t = 0; t < MONTHS; t++) {
        if (t < MONTHS - activeMonths) {
          continue;
        }
        double trend = slope[i] * (t - 5.5) / 12;
        double season = SEASON[industry[i]][calendarMonth[t]];
        double hidden = hiddenDrop[i] * Math.min(1, Math.max(0, (t - 5.0) / 3.0));
        vat[t] =
            monthlyRevenue[i]
                * Math.exp(
                    trend
                        + season
                        - hidden
                        + (t >= 6 ? invoiceTiming : 0)
                        + 0.20 * noise.nextGaussian());
        kwh[t] = kwhBase * Math.exp(trend + season + 0.08 * noise.nextGaussian());
      }

      if (inBank) {
        bankIds.add(id);
        double tenure = Math.min(ageYears[i], exponential(noise, 3.0 + 1.0 * Math.max(h, -2)));
        boolean firstLoan = tenure < 0.5;
        double years = firstLoan ? 0 : Math.floor(tenure);
        int overdue = firstLoan ? 0 : poisson(noise, Math.exp(-1.8 - 0.6 * h));
        String utilization =
            firstLoan ? "" : fmt(2, sigmoid(-0.2 - 0.6 * h + 0.9 * noise.nextGaussian()));
        double amount = roundTo(monthlyRevenue[i] * (0.8 + 2.4 * noise.nextDouble()), 10_000);
        amount = Math.max(50_000, Math.min(5_000_000, amount));
        int[] terms = {3, 6, 12, 12, 24, 36};
        int term = terms[noise.nextInt(terms.length)];
        bankRows.add(
            List.of(
                id,
                fmt(0, amount),
                Integer.toString(term),
                fmt(0, years),
                Integer.toString(overdue),
                utilization,
                INDUSTRIES.get(industry[i]),
                REGIONS.get(region[i]),
                Integer.toString(defaulted)));
      }

      if (inTax) {
        List<String> row = new ArrayList<>();
        row.add(id);
        double total = 0;
        for (int t = 0; t < MONTHS; t++) {
          total += vat[t];
          row.add(holes.nextDouble() < o.missingRate() ? "" : fmt(2, vat[t]));
        }
        // About one invoice per 12k RMB, fewer for wholesale's bigger tickets.
        double perInvoice = industry[i] == 1 ? 25_000 : 12_000;
        int invoices = total == 0 ? 0 : poisson(noise, total / perInvoice);
        int buyers =
            invoices == 0
                ? 0
                : Math.max(1, Math.min(invoices, poisson(noise, 3 + Math.sqrt(invoices) * 1.5)));
        row.add(Integer.toString(invoices));
        row.add(Integer.toString(buyers));
        row.add(growth(row.subList(1, 1 + MONTHS)));
        row.add(taxGrade(noise, h, hiddenDrop[i] > 0, ageYears[i]));
        row.add(Integer.toString(poisson(noise, Math.exp(-1.0 - 0.7 * h))));
        taxRows.add(row);
        if (inBank) {
          consentRecord(consent, o, id).ifPresent(taxConsent::add);
        }
      }

      if (inUtility) {
        List<String> row = new ArrayList<>();
        row.add(id);
        for (int t = 0; t < MONTHS; t++) {
          row.add(holes.nextDouble() < o.missingRate() ? "" : fmt(0, kwh[t]));
        }
        row.add(growth(row.subList(1, 1 + MONTHS)));
        row.add(Integer.toString(poisson(noise, Math.exp(-1.3 - 0.8 * h))));
        utilityRows.add(row);
        if (inBank) {
          consentRecord(consent, o, id).ifPresent(utilityConsent::add);
        }
      }
    }

    List<String> shuffled = new ArrayList<>(bankIds);
    Collections.shuffle(shuffled, stream(o.seed(), 7));
    int holdoutCount = (int) Math.round(o.holdoutShare() * shuffled.size());
    List<List<String>> holdout = new ArrayList<>();
    for (String id : shuffled.subList(0, holdoutCount)) {
      holdout.add(List.of(id));
    }
    // Extracts come sorted by id, as a database would export them: row order says nothing about
    // which enterprises the parties share.
    for (List<List<String>> rows :
        List.of(bankRows, taxRows, utilityRows, taxConsent, utilityConsent, holdout)) {
      rows.sort(Comparator.comparing(r -> r.get(0)));
    }

    return new DataSet(
        o,
        new Table(BANK_FILE, bankHeader, bankRows),
        new Table(TAX_FILE, taxHeader, taxRows),
        new Table(UTILITY_FILE, utilityHeader, utilityRows),
        new Table(TAX_CONSENT_FILE, consentHeader, taxConsent),
        new Table(UTILITY_CONSENT_FILE, consentHeader, utilityConsent),
        new Table(HOLDOUT_FILE, List.of("id"), holdout));
  }

  /**
   * Writes every table of the data set into {@code dir} (created if needed), each file written to a
   * temporary name first and moved into place.
   *
   * @param overwrite replace existing files; without it nothing is written if any target exists
   * @return the files written, in {@link DataSet#tables()} order
   * @throws FileAlreadyExistsException naming the first existing file, when {@code overwrite} is
   *     false
   */
  public static List<Path> write(DataSet data, Path dir, boolean overwrite) throws IOException {
    Files.createDirectories(dir);
    List<Path> targets = new ArrayList<>();
    for (Table t : data.tables()) {
      Path p = dir.resolve(t.fileName());
      if (!overwrite && Files.exists(p)) {
        throw new FileAlreadyExistsException(p.toString());
      }
      targets.add(p);
    }
    for (int k = 0; k < targets.size(); k++) {
      Path tmp = dir.resolve("." + data.tables().get(k).fileName() + ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(data.tables().get(k).toCsv());
      } catch (IOException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, targets.get(k), StandardCopyOption.REPLACE_EXISTING);
    }
    return targets;
  }

  // ---------------------------------------------------------------------------------------------

  private static Random stream(long seed, int purpose) {
    long z = seed * 0x9E3779B97F4A7C15L + purpose * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new Random(z ^ (z >>> 31));
  }

  private static Optional<List<String>> consentRecord(Random r, Options o, String id) {
    if (r.nextDouble() >= o.consentRate()) {
      return Optional.empty();
    }
    LocalDate expires =
        r.nextDouble() < o.expiredShare()
            ? o.asOf().minusDays(1 + r.nextInt(365))
            : o.asOf().plusDays(1 + r.nextInt(730));
    return Optional.of(List.of(id, CONSENT_SCOPE, expires.toString()));
  }

  /** Mean of the second half-year over the first, minus 1, over present months with activity. */
  private static String growth(List<String> months) {
    double[] sum = new double[2];
    int[] count = new int[2];
    for (int t = 0; t < months.size(); t++) {
      String c = months.get(t);
      if (!c.isEmpty() && Double.parseDouble(c) > 0) {
        sum[t / 6] += Double.parseDouble(c);
        count[t / 6]++;
      }
    }
    if (count[0] == 0 || count[1] == 0) {
      return "";
    }
    return fmt(4, (sum[1] / count[1]) / (sum[0] / count[0]) - 1);
  }

  private static String taxGrade(Random r, double h, boolean hides, double ageYears) {
    if (ageYears < 1) {
      return "M";
    }
    double s = 0.9 * h + 0.8 * r.nextGaussian() - (hides ? 0.3 : 0);
    if (s > 0.6) {
      return "A";
    }
    if (s > -0.9) {
      return "B";
    }
    if (s > -1.8) {
      return "C";
    }
    return "D";
  }

  /** The intercept that makes the mean default probability equal {@code rate} (bisection). */
  private static double interceptFor(double[] risk, double rate) {
    double lo = -12;
    double hi = 6;
    for (int k = 0; k < 60; k++) {
      double mid = (lo + hi) / 2;
      double mean = 0;
      for (double v : risk) {
        mean += sigmoid(mid + v);
      }
      if (mean / risk.length < rate) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  private static final String USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  private static final int[] USCC_WEIGHTS = {
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
  };
  private static final int[] ORG_WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

  /**
   * A unified social credit code (统一社会信用代码, GB 32100-2015) of an enterprise registered with market
   * regulation ({@code 91}) in the given division: an organisation code {@code MA…} with its GB
   * 11714 check character, then the GB 32100 check character. Unique within one data set.
   */
  static String unifiedSocialCreditCode(Random r, String division, Set<String> used) {
    while (true) {
      StringBuilder org = new StringBuilder("MA");
      for (int k = 0; k < 6; k++) {
        org.append(USCC_CHARS.charAt(r.nextInt(USCC_CHARS.length())));
      }
      int s = 0;
      for (int k = 0; k < 8; k++) {
        char c = org.charAt(k);
        int v = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
        s += v * ORG_WEIGHTS[k];
      }
      int check = 11 - s % 11;
      org.append(check == 10 ? 'X' : check == 11 ? '0' : (char) ('0' + check));
      String body = "91" + division + org;
      if (!used.add(body)) {
        continue;
      }
      return body + usccCheck(body);
    }
  }

  /** The GB 32100-2015 check character of the first 17 characters. */
  static char usccCheck(String first17) {
    int s = 0;
    for (int k = 0; k < 17; k++) {
      s += USCC_CHARS.indexOf(first17.charAt(k)) * USCC_WEIGHTS[k];
    }
    int c = 31 - s % 31;
    return USCC_CHARS.charAt(c == 31 ? 0 : c);
  }

  private static int pick(Random r, double[] weights) {
    double u = r.nextDouble();
    double acc = 0;
    for (int k = 0; k < weights.length; k++) {
      acc += weights[k];
      if (u < acc) {
        return k;
      }
    }
    return weights.length - 1;
  }

  private static double exponential(Random r, double mean) {
    return -mean * Math.log(1 - r.nextDouble());
  }

  /** Poisson by inversion for small means, a rounded normal approximation above 50. */
  private static int poisson(Random r, double mean) {
    if (mean > 50) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
    }
    double l = Math.exp(-mean);
    double p = l;
    double u = r.nextDouble();
    int k = 0;
    while (u > p && k < 1000) {
      u -= p;
      k++;
      p *= mean / k;
    }
    return k;
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double roundTo(double v, double unit) {
    return Math.round(v / unit) * unit;
  }

  /** {@code v} rounded to {@code decimals} places, plain notation (String.format is 10x slower). */
  static String fmt(int decimals, double v) {
    long scale = 1;
    for (int k = 0; k < decimals; k++) {
      scale *= 10;
    }
    long m = Math.round(v * scale);
    StringBuilder sb = new StringBuilder(24);
    if (m < 0) {
      sb.append('-');
      m = -m;
    }
    sb.append(m / scale);
    if (decimals > 0) {
      String frac = Long.toString(m % scale);
      sb.append('.');
      for (int k = frac.length(); k < decimals; k++) {
        sb.append('0');
      }
      sb.append(frac);
    }
    return sb.toString();
  }
}
