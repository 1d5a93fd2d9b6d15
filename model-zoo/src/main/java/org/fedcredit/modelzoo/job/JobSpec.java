package org.fedcredit.modelzoo.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.fedcredit.modelzoo.binning.Binning;
import org.fedcredit.modelzoo.binning.BinningException;
import org.fedcredit.modelzoo.binning.BinningMethod;
import org.fedcredit.modelzoo.binning.IvSelection;
import org.fedcredit.modelzoo.binning.WoeBinningConfig;
import org.fedcredit.modelzoo.lr.VerticalLrConfig;
import org.fedcredit.modelzoo.preprocess.Preprocessing;
import org.fedcredit.modelzoo.scorecard.ScoreBands;
import org.fedcredit.modelzoo.scorecard.ScorecardException;
import org.fedcredit.modelzoo.scorecard.ScorecardScaling;
import org.fedcredit.modelzoo.secureboost.SecureBoostConfig;
import org.fedcredit.secagg.paillier.CryptoMode;

/**
 * A vertical training job as the bank submits it (YAML; see examples/default-credit/*.yaml):
 *
 * <pre>{@code
 * job: default-credit-vertical-lr
 * algorithm: vertical-lr            # or secureboost, or scorecard
 * crypto: paillier                  # or plaintext-insecure (simulation only)
 * key_bits: 2048
 * label_party: bank
 * coordinator: coordinator
 * purpose: credit-scoring           # what the data is used for; providers' policies check it
 * holdout_ids: default_credit_test_ids_seed42.csv   # one column "id"; relative to the spec file
 * parties:
 *   bank:
 *     data: default_credit_hetero_guest.csv   # --simulate: a CSV file; on nodes: dataset alias
 *     dataset: loans                # on nodes: the dataset alias in the node's config
 *     id_column: id
 *     label_column: y
 *     columns: [x0, x1]             # optional: the columns asked for (default: all)
 *     preprocessing: {bins: {count: 10, encoding: one-hot}}
 *   tax-bureau:
 *     data: default_credit_hetero_host.csv
 *     id_column: id
 *     policy: {allowed_columns: [x0, x1]}   # the provider's own policy (simulation only)
 *     consent_column: consent       # optional: 1 = the enterprise consented to this use
 *     categorical: [tax_grade]      # text columns: one 0/1 indicator per category
 * train: {epochs: 30, batch_size: 256, learning_rate: 0.15, decay: 0, l2: 0,
 *         tolerance: 0.0001, seed: 42, feature_scale_bits: 16}
 * }</pre>
 *
 * <p>{@code algorithm: scorecard} is vertical LR on federated WOE columns; {@code train} is the
 * vertical LR section above, and two more sections apply (defaults shown):
 *
 * <pre>{@code
 * binning: {method: quantile, bins: 10, monotone: true, min_bin_rows: 5,
 *           iv_threshold: 0, top_k: 0}           # method: quantile | equal-width; 0 = no limit
 * scorecard:
 *   base_score: 600                  # points at the base odds
 *   base_odds: 50                    # good:bad
 *   pdo: 20                          # points to double the odds
 *   bands: {names: [A, B, C, D, E], lower_bounds: [660, 620, 580, 540]}
 *   publish: [bank, tax-bureau]      # parties whose points tables go to the committee export
 * }</pre>
 *
 * <p>{@link #fromMap} rejects unknown keys and bad values naming the key path and what is allowed.
 */
public record JobSpec(
    String job,
    String algorithm,
    PartySpec labelParty,
    List<PartySpec> featureParties,
    String coordinator,
    String purpose,
    Optional<String> holdoutIds,
    VerticalLrConfig train,
    SecureBoostConfig boost,
    WoeBinningConfig binning,
    ScorecardSpec scorecard) {

  /** The algorithms a job can run. */
  public static final List<String> ALGORITHMS = List.of("vertical-lr", "secureboost", "scorecard");

  /** Whether the job trains a vertical LR (with the coordinator holding the training key). */
  public boolean trainsLr() {
    return !algorithm.equals("secureboost");
  }

  /**
   * The {@code scorecard} section of a scorecard job.
   *
   * @param scaling base score, base odds and PDO (defaults {@link ScorecardScaling#defaults()})
   * @param bands risk grades by score (default {@link ScoreBands#defaults()})
   * @param publish the parties that agree to publish their points tables (bin labels and points)
   *     for the committee export; default none. A party not listed keeps its part to itself.
   */
  public record ScorecardSpec(ScorecardScaling scaling, ScoreBands bands, List<String> publish) {
    public ScorecardSpec {
      publish = List.copyOf(publish);
    }

    public static ScorecardSpec defaults() {
      return new ScorecardSpec(ScorecardScaling.defaults(), ScoreBands.defaults(), List.of());
    }

    /** Whether {@code party} publishes its part. */
    public boolean publishes(String party) {
      return publish.contains(party);
    }
  }

  /**
   * One party's part of the job.
   *
   * @param name party id
   * @param data CSV path, relative to the spec file (simulation); empty when not given
   * @param dataset the dataset alias on the party's node (deployment); defaults to the party name
   * @param idColumn the id column
   * @param labelColumn the label column (label party only)
   * @param columns the columns the job asks for, empty = all
   * @param allowedColumns the party's own column policy, empty = no restriction declared
   * @param consentColumn a 0/1 column: rows without consent (0 or empty) never enter PSI
   * @param categorical text columns, expanded into one indicator per category ({@code col=value})
   * @param preprocessing party-local preprocessing
   */
  public record PartySpec(
      String name,
      String data,
      String dataset,
      String idColumn,
      Optional<String> labelColumn,
      List<String> columns,
      List<String> allowedColumns,
      Optional<String> consentColumn,
      List<String> categorical,
      Preprocessing preprocessing) {}

  private static final Set<String> TOP =
      Set.of(
          "job",
          "algorithm",
          "crypto",
          "key_bits",
          "label_party",
          "coordinator",
          "purpose",
          "holdout_ids",
          "parties",
          "train",
          "binning",
          "scorecard");
  private static final Set<String> PARTY =
      Set.of(
          "data",
          "dataset",
          "id_column",
          "label_column",
          "columns",
          "policy",
          "consent_column",
          "categorical",
          "preprocessing");
  private static final Set<String> TRAIN =
      Set.of(
          "epochs",
          "batch_size",
          "learning_rate",
          "decay",
          "l2",
          "tolerance",
          "seed",
          "feature_scale_bits");

  public static JobSpec fromMap(Map<?, ?> map) {
    keys(map, TOP, "");
    String job = string(map, "job", "", null);
    String algorithm = string(map, "algorithm", "", "vertical-lr");
    if (!ALGORITHMS.contains(algorithm)) {
      throw new JobSpecException(
          "algorithm: '" + algorithm + "' is not available; choose one of " + ALGORITHMS);
    }
    for (String section : List.of("binning", "scorecard")) {
      if (map.get(section) != null && !algorithm.equals("scorecard")) {
        throw new JobSpecException(
            section + ": only a job with algorithm: scorecard has this section");
      }
    }
    String crypto = string(map, "crypto", "", "paillier");
    CryptoMode mode;
    switch (crypto) {
      case "paillier":
        mode = CryptoMode.PAILLIER;
        break;
      case "plaintext-insecure":
        mode = CryptoMode.PLAINTEXT_INSECURE;
        break;
      default:
        throw new JobSpecException(
            "crypto: '" + crypto + "' is not one of paillier, plaintext-insecure");
    }
    int keyBits = integer(map, "key_bits", "", 2048);
    if (keyBits < 2048) {
      throw new JobSpecException("key_bits: " + keyBits + " is below the floor of 2048 bits");
    }
    String labelName = string(map, "label_party", "", null);
    String coordinator = string(map, "coordinator", "", "coordinator");
    String purpose = string(map, "purpose", "", "credit-scoring");
    Optional<String> holdout =
        Optional.ofNullable(string(map, "holdout_ids", "", "")).filter(s -> !s.isEmpty());
    Object partiesObj = map.get("parties");
    if (!(partiesObj instanceof Map<?, ?> parties) || parties.isEmpty()) {
      throw new JobSpecException("parties: missing; list the bank and at least one data provider");
    }
    PartySpec label = null;
    List<PartySpec> features = new ArrayList<>();
    for (var e : parties.entrySet()) {
      String name = String.valueOf(e.getKey());
      String path = "parties." + name + ".";
      if (!(e.getValue() instanceof Map<?, ?> p)) {
        throw new JobSpecException(path + ": must be a mapping with data, id_column, ...");
      }
      keys(p, PARTY, path);
      Optional<String> labelColumn =
          Optional.ofNullable(string(p, "label_column", path, "")).filter(s -> !s.isEmpty());
      List<String> allowed = List.of();
      if (p.get("policy") != null) {
        if (!(p.get("policy") instanceof Map<?, ?> pol)) {
          throw new JobSpecException(path + "policy: must be a mapping {allowed_columns: [...]}");
        }
        keys(pol, Set.of("allowed_columns"), path + "policy.");
        allowed = strings(pol, "allowed_columns", path + "policy.");
      }
      Preprocessing pre = Preprocessing.none();
      if (p.get("preprocessing") != null) {
        if (!(p.get("preprocessing") instanceof Map<?, ?> pm)) {
          throw new JobSpecException(path + "preprocessing: must be a mapping");
        }
        try {
          pre = Preprocessing.fromMap(pm);
        } catch (IllegalArgumentException ex) {
          throw new JobSpecException(path + "preprocessing: " + ex.getMessage());
        }
      }
      PartySpec spec =
          new PartySpec(
              name,
              string(p, "data", path, ""),
              string(p, "dataset", path, name),
              string(p, "id_column", path, "id"),
              labelColumn,
              strings(p, "columns", path),
              allowed,
              Optional.ofNullable(string(p, "consent_column", path, "")).filter(c -> !c.isEmpty()),
              strings(p, "categorical", path),
              pre);
      if (name.equals(labelName)) {
        if (labelColumn.isEmpty()) {
          throw new JobSpecException(path + "label_column: required for the label party");
        }
        label = spec;
      } else {
        if (labelColumn.isPresent()) {
          throw new JobSpecException(
              path + "label_column: only the label party (" + labelName + ") has labels");
        }
        features.add(spec);
      }
    }
    if (label == null) {
      throw new JobSpecException(
          "label_party: '"
              + labelName
              + "' is not among parties "
              + new TreeSet<>(parties.keySet().stream().map(String::valueOf).toList()));
    }
    if (features.isEmpty()) {
      throw new JobSpecException("parties: add at least one data provider besides " + labelName);
    }
    VerticalLrConfig train = VerticalLrConfig.defaults().withCrypto(mode);
    Object t = map.get("train");
    if (algorithm.equals("secureboost")) {
      SecureBoostConfig boost = boost(t, keyBits, mode);
      return new JobSpec(
          job,
          algorithm,
          label,
          features,
          coordinator,
          purpose,
          holdout,
          train,
          boost,
          binning(null, keyBits, mode),
          ScorecardSpec.defaults());
    }
    if (t != null) {
      if (!(t instanceof Map<?, ?> tm)) {
        throw new JobSpecException("train: must be a mapping");
      }
      keys(tm, TRAIN, "train.");
      VerticalLrConfig d = VerticalLrConfig.defaults();
      try {
        train =
            new VerticalLrConfig(
                integer(tm, "epochs", "train.", d.epochs()),
                integer(tm, "batch_size", "train.", d.batchSize()),
                number(tm, "learning_rate", "train.", d.learningRate()),
                number(tm, "decay", "train.", d.decay()),
                number(tm, "l2", "train.", d.l2()),
                number(tm, "tolerance", "train.", d.tolerance()),
                integer(tm, "seed", "train.", (int) d.seed()),
                keyBits,
                integer(tm, "feature_scale_bits", "train.", d.featureScaleBits()),
                d.valueScaleBits(),
                d.maskBits(),
                mode);
      } catch (JobSpecException ex) {
        throw ex;
      } catch (IllegalArgumentException ex) {
        throw new JobSpecException("train: " + ex.getMessage());
      }
    } else {
      VerticalLrConfig d = train;
      train =
          new VerticalLrConfig(
              d.epochs(),
              d.batchSize(),
              d.learningRate(),
              d.decay(),
              d.l2(),
              d.tolerance(),
              d.seed(),
              keyBits,
              d.featureScaleBits(),
              d.valueScaleBits(),
              d.maskBits(),
              mode);
    }
    return new JobSpec(
        job,
        algorithm,
        label,
        features,
        coordinator,
        purpose,
        holdout,
        train,
        SecureBoostConfig.defaults().withCrypto(mode),
        binning(map.get("binning"), keyBits, mode),
        algorithm.equals("scorecard")
            ? scorecard(map.get("scorecard"), label, features)
            : ScorecardSpec.defaults());
  }

  private static final Set<String> BINNING =
      Set.of("method", "bins", "monotone", "min_bin_rows", "iv_threshold", "top_k");

  /**
   * The {@code binning} section of a scorecard job: 10 quantile bins, monotone WOE, at least 5
   * training rows per bin, every column kept unless {@code iv_threshold}/{@code top_k} say
   * otherwise; providers disclose opaque column names.
   */
  private static WoeBinningConfig binning(Object b, int keyBits, CryptoMode mode) {
    WoeBinningConfig d = WoeBinningConfig.defaults();
    Map<?, ?> bm = Map.of();
    if (b != null) {
      if (!(b instanceof Map<?, ?> m)) {
        throw new JobSpecException("binning: must be a mapping {method: quantile, bins: 10, ...}");
      }
      keys(m, BINNING, "binning.");
      bm = m;
    }
    String method = string(bm, "method", "binning.", "quantile");
    int bins = integer(bm, "bins", "binning.", Binning.DEFAULT_BINS);
    try {
      BinningMethod bin =
          switch (method) {
            case "quantile" -> new BinningMethod.Quantile(bins);
            case "equal-width" -> new BinningMethod.EqualWidth(bins);
            default ->
                throw new JobSpecException(
                    "binning.method: '" + method + "' is not one of quantile, equal-width");
          };
      return new WoeBinningConfig(
          Binning.of(bin),
          d.rules()
              .withMonotone(bool(bm, "monotone", "binning.", true))
              .withMinBinRows(integer(bm, "min_bin_rows", "binning.", d.rules().minBinRows())),
          new IvSelection(
              number(bm, "iv_threshold", "binning.", 0), integer(bm, "top_k", "binning.", 0)),
          d.naming(),
          mode,
          keyBits);
    } catch (BinningException e) {
      throw new JobSpecException("binning: " + e.getMessage());
    }
  }

  private static final Set<String> SCORECARD =
      Set.of("base_score", "base_odds", "pdo", "bands", "publish");

  private static ScorecardSpec scorecard(Object s, PartySpec label, List<PartySpec> features) {
    ScorecardSpec d = ScorecardSpec.defaults();
    if (s == null) {
      return d;
    }
    if (!(s instanceof Map<?, ?> sm)) {
      throw new JobSpecException("scorecard: must be a mapping {base_score: 600, ...}");
    }
    keys(sm, SCORECARD, "scorecard.");
    List<String> publish = strings(sm, "publish", "scorecard.");
    Set<String> names = new TreeSet<>();
    names.add(label.name());
    features.forEach(f -> names.add(f.name()));
    for (String p : publish) {
      if (!names.contains(p)) {
        throw new JobSpecException(
            "scorecard.publish: '" + p + "' is not a bank or data provider of the job " + names);
      }
    }
    try {
      ScorecardScaling scaling =
          new ScorecardScaling(
              number(sm, "pdo", "scorecard.", d.scaling().pdo()),
              number(sm, "base_score", "scorecard.", d.scaling().baseScore()),
              number(sm, "base_odds", "scorecard.", d.scaling().baseOdds()));
      ScoreBands bands = d.bands();
      if (sm.get("bands") != null) {
        if (!(sm.get("bands") instanceof Map<?, ?> bm)) {
          throw new JobSpecException(
              "scorecard.bands: must be a mapping {names: [A, B, C], lower_bounds: [640, 580]}");
        }
        keys(bm, Set.of("names", "lower_bounds"), "scorecard.bands.");
        List<Double> bounds = new ArrayList<>();
        for (String v : strings(bm, "lower_bounds", "scorecard.bands.")) {
          try {
            bounds.add(Double.parseDouble(v.trim()));
          } catch (NumberFormatException e) {
            throw new JobSpecException("scorecard.bands.lower_bounds: '" + v + "' is not a number");
          }
        }
        bands = new ScoreBands(strings(bm, "names", "scorecard.bands."), bounds);
      }
      return new ScorecardSpec(scaling, bands, publish);
    } catch (ScorecardException e) {
      throw new JobSpecException("scorecard: " + e.getMessage());
    }
  }

  private static final Set<String> BOOST =
      Set.of(
          "trees",
          "depth",
          "learning_rate",
          "lambda",
          "min_child_weight",
          "min_samples_leaf",
          "bins",
          "seed",
          "goss");

  /** The {@code train} section of a SecureBoost job (defaults: {@link SecureBoostConfig}). */
  private static SecureBoostConfig boost(Object t, int keyBits, CryptoMode mode) {
    SecureBoostConfig d = SecureBoostConfig.defaults();
    if (t == null) {
      return withKey(d, keyBits, mode);
    }
    if (!(t instanceof Map<?, ?> tm)) {
      throw new JobSpecException("train: must be a mapping");
    }
    keys(tm, BOOST, "train.");
    boolean goss = false;
    double a = d.gossTopRate();
    double b = d.gossOtherRate();
    if (tm.get("goss") != null) {
      if (!(tm.get("goss") instanceof Map<?, ?> g)) {
        throw new JobSpecException(
            "train.goss: must be a mapping {top_rate: 0.2, other_rate: 0.1}");
      }
      keys(g, Set.of("top_rate", "other_rate"), "train.goss.");
      goss = true;
      a = number(g, "top_rate", "train.goss.", a);
      b = number(g, "other_rate", "train.goss.", b);
    }
    try {
      return new SecureBoostConfig(
          integer(tm, "trees", "train.", d.trees()),
          integer(tm, "depth", "train.", d.maxDepth()),
          number(tm, "learning_rate", "train.", d.learningRate()),
          number(tm, "lambda", "train.", d.lambda()),
          number(tm, "min_child_weight", "train.", d.minChildWeight()),
          integer(tm, "min_samples_leaf", "train.", d.minSamplesLeaf()),
          integer(tm, "bins", "train.", d.maxBins()),
          integer(tm, "seed", "train.", (int) d.seed()),
          keyBits,
          mode,
          d.scaleBits(),
          goss,
          a,
          b);
    } catch (JobSpecException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new JobSpecException("train: " + e.getMessage());
    }
  }

  private static SecureBoostConfig withKey(SecureBoostConfig d, int keyBits, CryptoMode mode) {
    return new SecureBoostConfig(
        d.trees(),
        d.maxDepth(),
        d.learningRate(),
        d.lambda(),
        d.minChildWeight(),
        d.minSamplesLeaf(),
        d.maxBins(),
        d.seed(),
        keyBits,
        mode,
        d.scaleBits(),
        d.goss(),
        d.gossTopRate(),
        d.gossOtherRate());
  }

  /** All parties, label party first. */
  public List<PartySpec> parties() {
    List<PartySpec> all = new ArrayList<>();
    all.add(labelParty);
    all.addAll(featureParties);
    return all;
  }

  /**
   * The columns a party will use: the requested ones (or all), checked against its policy.
   *
   * @throws JobSpecException naming the first column the policy does not allow
   */
  public static List<String> admittedColumns(PartySpec p, List<String> available) {
    List<String> features = new ArrayList<>(available);
    p.consentColumn()
        .ifPresent(
            c -> {
              if (!features.remove(c)) {
                throw new JobSpecException(
                    "parties."
                        + p.name()
                        + ".consent_column: '"
                        + c
                        + "' is not a column of "
                        + where(p));
              }
            });
    // Policy and requests name source columns; a categorical column "region" stands for all of
    // its indicator columns "region=...".
    java.util.function.Function<String, String> source =
        c -> {
          int k = c.indexOf('=');
          return k > 0 && p.categorical().contains(c.substring(0, k)) ? c.substring(0, k) : c;
        };
    List<String> sources = features.stream().map(source).distinct().toList();
    List<String> asked = p.columns().isEmpty() ? sources : p.columns();
    for (String c : asked) {
      if (!sources.contains(c)) {
        throw new JobSpecException(
            "parties."
                + p.name()
                + ".columns: '"
                + c
                + "' is not a column of "
                + where(p)
                + "; it has "
                + sources);
      }
      if (!p.allowedColumns().isEmpty() && !p.allowedColumns().contains(c)) {
        throw new JobSpecException(
            p.name()
                + " refuses the job: its policy does not allow column '"
                + c
                + "' (allowed: "
                + p.allowedColumns()
                + ")");
      }
    }
    return features.stream().filter(f -> asked.contains(source.apply(f))).toList();
  }

  private static String where(PartySpec p) {
    return p.data().isEmpty() ? "dataset '" + p.dataset() + "'" : p.data();
  }

  private static void keys(Map<?, ?> m, Set<String> allowed, String path) {
    Set<String> unknown = new TreeSet<>();
    for (Object k : m.keySet()) {
      if (!allowed.contains(String.valueOf(k))) {
        unknown.add(String.valueOf(k));
      }
    }
    if (!unknown.isEmpty()) {
      throw new JobSpecException(
          "unknown key(s) "
              + unknown.stream().map(k -> path + k).toList()
              + "; allowed here: "
              + new TreeSet<>(allowed));
    }
  }

  private static String string(Map<?, ?> m, String key, String path, String dflt) {
    Object v = m.get(key);
    if (v == null) {
      if (dflt == null) {
        throw new JobSpecException(path + key + ": required");
      }
      return dflt;
    }
    if (v instanceof Map || v instanceof List) {
      throw new JobSpecException(path + key + ": must be a single value, was " + v);
    }
    return String.valueOf(v);
  }

  private static List<String> strings(Map<?, ?> m, String key, String path) {
    Object v = m.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw new JobSpecException(path + key + ": must be a list like [x0, x1]");
    }
    return l.stream().map(String::valueOf).toList();
  }

  private static int integer(Map<?, ?> m, String key, String path, int dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Integer i) {
      return i;
    }
    try {
      return Integer.parseInt(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new JobSpecException(path + key + ": '" + v + "' is not a whole number");
    }
  }

  private static boolean bool(Map<?, ?> m, String key, String path, boolean dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    return switch (String.valueOf(v).trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new JobSpecException(path + key + ": '" + v + "' is not true or false");
    };
  }

  private static double number(Map<?, ?> m, String key, String path, double dflt) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new JobSpecException(path + key + ": '" + v + "' is not a number");
    }
  }

  /** A copy with the party map in spec order, for messages. */
  public Map<String, PartySpec> byName() {
    Map<String, PartySpec> out = new LinkedHashMap<>();
    for (PartySpec p : parties()) {
      out.put(p.name(), p);
    }
    return out;
  }
}
