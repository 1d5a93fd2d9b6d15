package org.fedcredit.modelzoo.secureboost;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.secureboost.v1.NodeRoute;
import org.fedcredit.protocols.secureboost.v1.NodeStep;
import org.fedcredit.protocols.secureboost.v1.PackedGradients;
import org.fedcredit.protocols.secureboost.v1.Partition;
import org.fedcredit.protocols.secureboost.v1.PredictionRoutes;
import org.fedcredit.protocols.secureboost.v1.SplitCandidates;
import org.fedcredit.protocols.secureboost.v1.SplitDecision;
import org.fedcredit.secagg.paillier.Ciphertext;
import org.fedcredit.secagg.paillier.EncodingDescriptor;
import org.fedcredit.secagg.paillier.EncryptedVector;
import org.fedcredit.secagg.paillier.EngineTimings;
import org.fedcredit.secagg.paillier.HomomorphicEngine;
import org.fedcredit.secagg.paillier.KeySizePolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyCodec;
import org.fedcredit.secagg.paillier.PaillierPublicKey;

/**
 * A data provider in vertical SecureBoost: holds binned features only and keeps the rule (feature,
 * threshold bin, missing direction) of every split it wins.
 *
 * <p>Per node it adds the bank's encrypted packed {@code (g, h, 1)} of the node's rows into one
 * encrypted histogram per feature and bin (ciphertext additions only, two features per pass over
 * the rows: {@link EncryptedHistograms}; for the two children of a split it builds the smaller from
 * rows and gets the larger as parent − smaller), forms the encrypted left-child sum of every
 * (feature, threshold, missing direction) candidate, shuffles the candidates with a private seed so
 * that the bank sees positions only, packs several sums per ciphertext ({@code c₀ ⊕ 2^s·c₁ ⊕ …} by
 * Horner with {@code s} squarings per shift, {@code s} = the width of one sum) and re-randomises
 * every ciphertext it sends. The protocol: docs/protocols/secureboost.md.
 */
public final class SecureBoostFeatureParty {

  private final Federation fed;
  private final PartyId bank;
  private final BinnedTable table;
  private final SecureBoostConfig config;
  private final PaillierEngine.Options engineOptions;
  private final long privateSeed;

  public SecureBoostFeatureParty(
      Federation fed,
      PartyId bank,
      BinnedTable table,
      SecureBoostConfig config,
      PaillierEngine.Options engineOptions) {
    this.fed = fed;
    this.bank = bank;
    this.table = table;
    this.config = config;
    this.engineOptions = engineOptions;
    this.privateSeed = new SecureRandom().nextLong();
  }

  /** A node of a tree. */
  public record NodeKey(int tree, int node) {}

  /**
   * What the provider keeps: the rule of every split it won, how many encrypted histograms it built
   * from rows and how many by subtraction, and for every node it answered the order in which it
   * sent its candidates ({@code order[id]} = canonical candidate index). All stay at the party.
   */
  public record Result(
      Map<NodeKey, SplitRule> rules,
      int histogramsFromRows,
      int histogramsBySubtraction,
      Map<NodeKey, int[]> candidateOrders) {
    public Result {
      rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
      candidateOrders = Collections.unmodifiableMap(new LinkedHashMap<>(candidateOrders));
    }
  }

  public Result run() {
    PaillierPublicKey key =
        PaillierKeyCodec.fromProto(
            fed.receive(
                bank, "sb/key", org.fedcredit.protocols.paillier.v1.PaillierPublicKey.class),
            KeySizePolicy.DEFAULT);
    Map<NodeKey, SplitRule> rules = new LinkedHashMap<>();
    Map<NodeKey, int[]> orders = new LinkedHashMap<>();
    int[] built = new int[2]; // from rows, by subtraction
    List<SplitRule> canonical = BoostMath.candidates(table.binCounts());
    try (HomomorphicEngine engine = config.crypto().publicEngine(key, engineOptions)) {
      for (int t = 0; t < config.trees(); t++) {
        PackedGradients pg = fed.receive(bank, "sb/" + t + "/gradients", PackedGradients.class);
        Ciphertext[] gh = engine.fromWire(EncryptedVector.fromProto(pg.getGh(), key));
        if (gh.length != table.rows() || pg.getTree() != t) {
          throw new IllegalStateException(
              "the bank sent "
                  + gh.length
                  + " gradients for tree "
                  + pg.getTree()
                  + "; this party has "
                  + table.rows()
                  + " aligned rows and expects tree "
                  + t);
        }
        int sumBits = 3 * pg.getSlotBits();
        int perCiphertext = (key.n().bitLength() - 2) / sumBits;
        if (perCiphertext < 1) {
          throw new IllegalStateException(
              "a " + sumBits + "-bit sum does not fit the key's plaintext space");
        }
        Map<Integer, int[]> rowsOf = new HashMap<>();
        Map<Integer, Ciphertext[][]> histograms = new HashMap<>();
        rowsOf.put(0, BoostMath.allRows(table.rows()));
        for (int step = 0; ; step++) {
          NodeStep s = fed.receive(bank, "sb/" + t + "/step/" + step, NodeStep.class);
          if (s.getTreeDone()) {
            break;
          }
          int id = s.getNode();
          int[] rows = rowsOf.remove(id);
          if (rows == null || s.getTree() != t) {
            throw new IllegalStateException(
                "the bank asked for tree " + s.getTree() + " node " + id + ", which is not open");
          }
          Ciphertext[][] hist = histograms.remove(id);
          if (hist == null) {
            hist = histogram(engine, gh, rows);
            built[0]++;
          }
          int[] order = shuffled(offered(hist), t, id);
          orders.put(new NodeKey(t, id), order);
          fed.send(
              bank,
              SecureBoostLabelParty.tag(t, id, "candidates"),
              candidates(engine, hist, order, id, sumBits, perCiphertext));
          SplitDecision d =
              fed.receive(bank, SecureBoostLabelParty.tag(t, id, "decision"), SplitDecision.class);
          boolean[] left;
          switch (d.getOutcomeCase()) {
            case LEAF -> {
              continue;
            }
            case CHOOSE -> {
              int best = Integer.MAX_VALUE;
              for (int tied : d.getChoose().getTiedIdsList()) {
                if (tied >= order.length) {
                  throw new IllegalStateException(
                      "the bank chose candidate "
                          + tied
                          + " of "
                          + order.length
                          + " at node "
                          + id);
                }
                best = Math.min(best, order[tied]);
              }
              SplitRule rule = canonical.get(best);
              rules.put(new NodeKey(t, id), rule);
              left = BoostMath.route(table, rows, rule);
              fed.send(
                  bank,
                  SecureBoostLabelParty.tag(t, id, "partition"),
                  Partition.newBuilder()
                      .setNode(id)
                      .setRows(rows.length)
                      .setLeft(ByteString.copyFrom(BoostMath.bits(left)))
                      .build());
            }
            case PARTITION ->
                left = BoostMath.unbits(d.getPartition().getLeft().toByteArray(), rows.length);
            default -> throw new IllegalStateException("empty decision for node " + id);
          }
          int[][] children = BoostMath.partition(rows, left);
          rowsOf.put(BoostedTree.left(id), children[0]);
          rowsOf.put(BoostedTree.right(id), children[1]);
          if (BoostMath.depth(id) + 1 < config.maxDepth()) {
            int small = children[0].length <= children[1].length ? 0 : 1;
            Ciphertext[][] smallHist = histogram(engine, gh, children[small]);
            built[0]++;
            histograms.put(BoostedTree.left(id) + small, smallHist);
            histograms.put(
                BoostedTree.left(id) + 1 - small,
                EncryptedHistograms.subtract(engine, hist, smallHist));
            built[1]++;
          }
        }
      }
    }
    return new Result(rules, built[0], built[1], orders);
  }

  /**
   * The canonical indices of the candidates offered at a node, in canonical order: every threshold
   * with missing values going right, and with missing values going left only where the node's
   * histogram has a missing bin. Where it has none (no row of the node, nor of its parent for a
   * histogram made by subtraction, lacks the feature) the two candidates have the same left sum, so
   * the second would only double the packing, re-randomisation and decryption; the tie-break (the
   * lowest canonical index among equal gains) would never pick it. The bank learns nothing new from
   * the count: equal decrypted sums showed it which pairs were duplicates.
   */
  private int[] offered(Ciphertext[][] hist) {
    List<Integer> idx = new ArrayList<>();
    int k = 0;
    for (int f = 0; f < table.features(); f++) {
      boolean missing = hist[f][table.binCounts()[f]] != null;
      for (int t = 0; t + 1 < table.binCounts()[f]; t++) {
        idx.add(k);
        if (missing) {
          idx.add(k + 1);
        }
        k += 2;
      }
    }
    return idx.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * {@code order[position]} = canonical index of an offered candidate: a permutation of {@code
   * offered} private to this party and node.
   */
  private int[] shuffled(int[] offered, int tree, int node) {
    List<Integer> idx = new ArrayList<>(offered.length);
    for (int i : offered) {
      idx.add(i);
    }
    long mix = privateSeed ^ (0x9E3779B97F4A7C15L * (((long) tree << 32) | node));
    Collections.shuffle(idx, new Random(mix));
    return idx.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The left-child sum of every candidate, in the shuffled {@code order}, packed {@code
   * perCiphertext} to a ciphertext (not yet re-randomised).
   */
  private Ciphertext[] packedLeftSums(
      HomomorphicEngine engine, Ciphertext[][] hist, int[] order, int sumBits, int perCiphertext) {
    List<Ciphertext> sums = new ArrayList<>(); // canonical order, null = empty
    for (int f = 0; f < table.features(); f++) {
      Ciphertext cum = null;
      Ciphertext missing = hist[f][table.binCounts()[f]];
      for (int t = 0; t + 1 < table.binCounts()[f]; t++) {
        cum = plus(engine, cum, hist[f][t]);
        sums.add(cum);
        sums.add(plus(engine, cum, missing));
      }
    }
    int count = order.length;
    int groups = (count + perCiphertext - 1) / perCiphertext;
    return IntStream.range(0, groups)
        .parallel()
        .mapToObj(
            g -> {
              // Horner from the highest slot down: acc = acc·2^s ⊕ c_k (s squarings).
              Ciphertext acc = null;
              int last = Math.min(count, (g + 1) * perCiphertext) - 1;
              for (int pos = last; pos >= g * perCiphertext; pos--) {
                if (acc != null) {
                  acc = engine.shiftLeft(acc, sumBits);
                }
                acc = plus(engine, acc, sums.get(order[pos]));
              }
              return acc == null ? engine.encrypt(BigInteger.ZERO) : acc;
            })
        .toArray(Ciphertext[]::new);
  }

  private Ciphertext[][] histogram(HomomorphicEngine engine, Ciphertext[] gh, int[] rows) {
    return EngineTimings.time(
        EngineTimings.Op.HISTOGRAM,
        (long) rows.length * table.features(),
        () -> EncryptedHistograms.build(engine, table, gh, rows));
  }

  private static Ciphertext plus(HomomorphicEngine engine, Ciphertext a, Ciphertext b) {
    return a == null ? b : b == null ? a : engine.add(a, b);
  }

  private SplitCandidates candidates(
      HomomorphicEngine engine,
      Ciphertext[][] hist,
      int[] order,
      int node,
      int sumBits,
      int perCiphertext) {
    int count = order.length;
    Ciphertext[] packed =
        EngineTimings.time(
            EngineTimings.Op.PACK,
            count,
            () -> packedLeftSums(engine, hist, order, sumBits, perCiphertext));
    packed = engine.rerandomize(packed);
    EncodingDescriptor enc =
        new EncodingDescriptor(0, perCiphertext, sumBits, BigInteger.ZERO, 1, count);
    return SplitCandidates.newBuilder()
        .setNode(node)
        .setCandidates(count)
        .setSumsPerCiphertext(perCiphertext)
        .setSumBits(sumBits)
        .setPackedLeftSums(engine.toWire(packed, enc).toProto())
        .build();
  }

  /**
   * Sends the bank, under {@code sb/predict/<predictionId>/routes}, the direction of every row of
   * {@code rows} at every split node this party owns in {@code model}.
   */
  public static void sendPredictionRoutes(
      Federation fed, PartyId bank, String predictionId, Result model, BinnedTable rows) {
    int[] all = BoostMath.allRows(rows.rows());
    PredictionRoutes.Builder b = PredictionRoutes.newBuilder().setRows(rows.rows());
    for (var e : model.rules().entrySet()) {
      b.addRoutes(
          NodeRoute.newBuilder()
              .setTree(e.getKey().tree())
              .setNode(e.getKey().node())
              .setLeft(
                  ByteString.copyFrom(BoostMath.bits(BoostMath.route(rows, all, e.getValue())))));
    }
    fed.send(bank, "sb/predict/" + predictionId + "/routes", b.build());
  }
}
