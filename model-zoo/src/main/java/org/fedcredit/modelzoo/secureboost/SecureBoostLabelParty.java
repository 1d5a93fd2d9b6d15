package org.fedcredit.modelzoo.secureboost;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.secureboost.BoostMath.Stats;
import org.fedcredit.modelzoo.secureboost.BoostMath.TreeInputs;
import org.fedcredit.protocols.secureboost.v1.ChooseSplit;
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
import org.fedcredit.secagg.paillier.HomomorphicEngine;
import org.fedcredit.secagg.paillier.KeySizePolicy;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.fedcredit.secagg.paillier.PaillierKeyCodec;
import org.fedcredit.secagg.paillier.PaillierKeyPair;

/**
 * The bank in vertical SecureBoost: holds the labels, the optional sample weights and its own
 * binned features, generates a fresh Paillier key for the job, and builds every tree.
 *
 * <p>Per tree it encrypts, for each feature party afresh and with the key owner's CRT encryption,
 * one plaintext per row packing {@code (G + off, H, 1)} into three {@code W}-bit slots ({@code W}
 * chosen so that sums over all rows never carry). Per node it computes its own histogram in the
 * clear, decrypts every feature party's packed encrypted left-child sums, and keeps the best split
 * over all parties exactly as {@link PlainSecureBoost} does; a feature party's winning split is
 * named to its owner by opaque id only, and the owner answers with the node's left/right rows. Leaf
 * weights stay with the bank. The protocol and what each party learns:
 * docs/protocols/secureboost.md.
 */
public final class SecureBoostLabelParty {

  private final Federation fed;
  private final List<PartyId> featureParties;
  private final BinnedTable table;
  private final int[] labels;
  private final double[] weights;
  private final SecureBoostConfig config;
  private final PaillierEngine.Options engineOptions;

  /** Unweighted rows. */
  public SecureBoostLabelParty(
      Federation fed,
      List<PartyId> featureParties,
      BinnedTable table,
      int[] labels,
      SecureBoostConfig config,
      PaillierEngine.Options engineOptions) {
    this(fed, featureParties, table, labels, ones(labels.length), config, engineOptions);
  }

  /**
   * @param featureParties the feature parties in job order (party 1, 2, … in the trees)
   * @param table the bank's binned columns, aligned (PSI order)
   * @param labels 0/1 per row
   * @param weights a non-negative sample weight per row
   */
  public SecureBoostLabelParty(
      Federation fed,
      List<PartyId> featureParties,
      BinnedTable table,
      int[] labels,
      double[] weights,
      SecureBoostConfig config,
      PaillierEngine.Options engineOptions) {
    if (labels.length != table.rows() || weights.length != table.rows()) {
      throw new IllegalArgumentException(
          "the bank has "
              + table.rows()
              + " rows but "
              + labels.length
              + " labels and "
              + weights.length
              + " weights");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("label of row " + i + " is " + labels[i] + ", not 0/1");
      }
      if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
        throw new IllegalArgumentException(
            "sample weight of row " + i + " is " + weights[i] + "; weights must be finite, >= 0");
      }
    }
    this.fed = fed;
    this.featureParties = List.copyOf(featureParties);
    this.table = table;
    this.labels = labels.clone();
    this.weights = weights.clone();
    this.config = config;
    this.engineOptions = engineOptions;
  }

  private static double[] ones(int n) {
    double[] w = new double[n];
    Arrays.fill(w, 1.0);
    return w;
  }

  /**
   * The bank's model: trees in which its own splits carry their rule and the feature parties'
   * splits are {@link TreeNode.HiddenSplit}s; the training margins; the job key's id; and per tree
   * the cover of every node (the number of training rows that reached it, sampled or not: the bank
   * learns every partition, so it knows these counts; TreeSHAP weighs paths by them).
   */
  public record Result(
      List<BoostedTree> trees,
      double[] trainingMargins,
      String keyId,
      List<Map<Integer, Integer>> covers) {
    public Result {
      trees = List.copyOf(trees);
      covers = covers.stream().map(c -> Map.copyOf(c)).toList();
      if (covers.size() != trees.size()) {
        throw new IllegalArgumentException(
            trees.size() + " trees but " + covers.size() + " covers");
      }
    }
  }

  /** Margins and probabilities of scored rows. */
  public record Prediction(double[] margins) {
    public double[] probabilities() {
      return Arrays.stream(margins).map(BoostMath::sigmoid).toArray();
    }
  }

  static String tag(int tree, int node, String name) {
    return "sb/" + tree + "/" + node + "/" + name;
  }

  /** Hears about every finished tree (progress of long jobs). */
  public interface TreeListener {
    void onTree(int tree, int trees);
  }

  private TreeListener treeListener = (t, n) -> {};

  /** Tells {@code listener} after every tree; returns this role. */
  public SecureBoostLabelParty onTree(TreeListener listener) {
    this.treeListener = java.util.Objects.requireNonNull(listener);
    return this;
  }

  private org.fedcredit.secagg.paillier.EffectiveParameters effective;

  /** The crypto parameters the bank's engine actually used, after {@link #run}. */
  public org.fedcredit.secagg.paillier.EffectiveParameters effectiveParameters() {
    if (effective == null) {
      throw new IllegalStateException("run() has not finished");
    }
    return effective;
  }

  public Result run() {
    int n = table.rows();
    PaillierKeyPair key =
        PaillierKeyPair.generate(config.keyBits(), KeySizePolicy.DEFAULT, new SecureRandom());
    var pk = PaillierKeyCodec.toProto(key.publicKey());
    for (PartyId p : featureParties) {
      fed.send(p, "sb/key", pk);
    }
    int plaintextBits = key.publicKey().n().bitLength() - 2;
    double[] margin = new double[n];
    List<BoostedTree> trees = new ArrayList<>();
    List<Map<Integer, Integer>> covers = new ArrayList<>();
    try (HomomorphicEngine engine = config.crypto().ownerEngine(key.privateKey(), engineOptions)) {
      for (int t = 0; t < config.trees(); t++) {
        TreeInputs in = BoostMath.treeInputs(labels, weights, margin, config, t);
        int w = slotBits(n, in.bound());
        if (3 * w > plaintextBits) {
          throw new IllegalStateException(
              "three "
                  + w
                  + "-bit slots do not fit a "
                  + plaintextBits
                  + "-bit plaintext; lower scaleBits");
        }
        sendGradients(engine, in, t, w);
        Map<Integer, Integer> cover = new HashMap<>();
        trees.add(grow(engine, in, t, w, margin, cover));
        covers.add(cover);
        treeListener.onTree(t, config.trees());
      }
      effective = engine.effectiveParameters();
    }
    return new Result(trees, margin, key.publicKey().keyId(), covers);
  }

  /** The smallest W in which the sum of every row's g slot (G + off ≤ 2·off), H and count fits. */
  static int slotBits(int rows, long bound) {
    BigInteger max = BigInteger.valueOf(Math.max(1, 2 * bound)).multiply(BigInteger.valueOf(rows));
    return max.bitLength() + 1;
  }

  private void sendGradients(HomomorphicEngine engine, TreeInputs in, int t, int w) {
    int n = table.rows();
    BigInteger off = BigInteger.valueOf(in.bound());
    BigInteger[] plain = new BigInteger[n];
    for (int i = 0; i < n; i++) {
      plain[i] =
          in.sampled()[i]
              ? BigInteger.valueOf(in.g()[i])
                  .add(off)
                  .shiftLeft(2 * w)
                  .add(BigInteger.valueOf(in.h()[i]).shiftLeft(w))
                  .add(BigInteger.ONE)
              : BigInteger.ZERO;
    }
    // The slot offset stays with the bank: the provider learns only the slot width.
    EncodingDescriptor enc =
        new EncodingDescriptor(config.scaleBits(), 3, w, BigInteger.ZERO, n, 3L * n);
    for (PartyId p : featureParties) {
      // A fresh encryption per provider: no ciphertext is shared between two parties.
      Ciphertext[] cts = engine.encrypt(plain);
      fed.send(
          p,
          "sb/" + t + "/gradients",
          PackedGradients.newBuilder()
              .setTree(t)
              .setSlotBits(w)
              .setGh(engine.toWire(cts, enc).toProto())
              .build());
    }
  }

  private BoostedTree grow(
      HomomorphicEngine engine,
      TreeInputs in,
      int t,
      int w,
      double[] margin,
      Map<Integer, Integer> cover) {
    Map<Integer, TreeNode> nodes = new HashMap<>();
    Map<Integer, Stats[][]> histograms = new HashMap<>();
    Deque<Map.Entry<Integer, int[]>> queue = new ArrayDeque<>();
    queue.add(Map.entry(0, BoostMath.allRows(table.rows())));
    int step = 0;
    List<SplitRule> ownRules = BoostMath.candidates(table.binCounts());
    while (!queue.isEmpty()) {
      var e = queue.poll();
      int id = e.getKey();
      int[] rows = e.getValue();
      cover.put(id, rows.length);
      int depth = BoostMath.depth(id);
      Stats total = BoostMath.total(rows, in);
      Stats[][] hist = histograms.remove(id);
      if (!BoostMath.expandable(depth, total, config)) {
        leaf(nodes, id, rows, total, margin);
        continue;
      }
      NodeStep ask = NodeStep.newBuilder().setTree(t).setNode(id).build();
      for (PartyId p : featureParties) {
        fed.send(p, "sb/" + t + "/step/" + step, ask);
      }
      step++;
      if (hist == null) {
        hist = BoostMath.histogram(table, rows, in);
      }
      double best = Double.NEGATIVE_INFINITY;
      int bestParty = -1;
      SplitRule bestRule = null;
      List<Integer> bestTied = List.of();
      Stats[] own = BoostMath.leftSums(table.binCounts(), hist);
      for (int k = 0; k < own.length; k++) {
        double gain = BoostMath.gain(own[k], total, config);
        if (gain > best) {
          best = gain;
          bestParty = 0;
          bestRule = ownRules.get(k);
        }
      }
      for (int p = 0; p < featureParties.size(); p++) {
        Stats[] left =
            decode(
                engine,
                fed.receive(featureParties.get(p), tag(t, id, "candidates"), SplitCandidates.class),
                w,
                in.bound(),
                featureParties.get(p));
        double max = Double.NEGATIVE_INFINITY;
        List<Integer> tied = new ArrayList<>();
        for (int k = 0; k < left.length; k++) {
          double gain = BoostMath.gain(left[k], total, config);
          if (gain > max) {
            max = gain;
            tied.clear();
            tied.add(k);
          } else if (gain == max && gain > Double.NEGATIVE_INFINITY) {
            tied.add(k);
          }
        }
        if (max > best) {
          best = max;
          bestParty = p + 1;
          bestRule = null;
          bestTied = tied;
        }
      }
      if (!(best > 0)) {
        SplitDecision leaf = SplitDecision.newBuilder().setNode(id).setLeaf(true).build();
        for (PartyId p : featureParties) {
          fed.send(p, tag(t, id, "decision"), leaf);
        }
        leaf(nodes, id, rows, total, margin);
        continue;
      }
      boolean[] left;
      PartyId owner = null;
      if (bestParty == 0) {
        left = BoostMath.route(table, rows, bestRule);
        nodes.put(id, new TreeNode.Split(0, bestRule));
      } else {
        owner = featureParties.get(bestParty - 1);
        fed.send(
            owner,
            tag(t, id, "decision"),
            SplitDecision.newBuilder()
                .setNode(id)
                .setChoose(ChooseSplit.newBuilder().addAllTiedIds(bestTied))
                .build());
        Partition part = fed.receive(owner, tag(t, id, "partition"), Partition.class);
        if (part.getNode() != id || part.getRows() != rows.length) {
          throw new IllegalStateException(
              owner
                  + " answered node "
                  + part.getNode()
                  + " with "
                  + part.getRows()
                  + " rows; expected node "
                  + id
                  + " with "
                  + rows.length);
        }
        left = BoostMath.unbits(part.getLeft().toByteArray(), rows.length);
        nodes.put(id, new TreeNode.HiddenSplit(bestParty));
      }
      SplitDecision forOthers =
          SplitDecision.newBuilder()
              .setNode(id)
              .setPartition(
                  Partition.newBuilder()
                      .setNode(id)
                      .setRows(rows.length)
                      .setLeft(com.google.protobuf.ByteString.copyFrom(BoostMath.bits(left))))
              .build();
      for (PartyId p : featureParties) {
        if (!p.equals(owner)) {
          fed.send(p, tag(t, id, "decision"), forOthers);
        }
      }
      int[][] children = BoostMath.partition(rows, left);
      if (depth + 1 < config.maxDepth()) {
        // Histogram subtraction: build the smaller child, the larger is parent − smaller.
        int small = children[0].length <= children[1].length ? 0 : 1;
        Stats[][] smallHist = BoostMath.histogram(table, children[small], in);
        histograms.put(BoostedTree.left(id) + small, smallHist);
        histograms.put(BoostedTree.left(id) + 1 - small, BoostMath.minus(hist, smallHist));
      }
      queue.add(Map.entry(BoostedTree.left(id), children[0]));
      queue.add(Map.entry(BoostedTree.right(id), children[1]));
    }
    NodeStep done = NodeStep.newBuilder().setTree(t).setTreeDone(true).build();
    for (PartyId p : featureParties) {
      fed.send(p, "sb/" + t + "/step/" + step, done);
    }
    return new BoostedTree(nodes);
  }

  private void leaf(
      Map<Integer, TreeNode> nodes, int id, int[] rows, Stats total, double[] margin) {
    double w = BoostMath.leafWeight(total, config);
    nodes.put(id, new TreeNode.Leaf(w));
    for (int i : rows) {
      margin[i] += w;
    }
  }

  /** Decrypts a provider's packed left sums into (G, H, count) per opaque candidate id. */
  private static Stats[] decode(
      HomomorphicEngine engine, SplitCandidates sc, int w, long bound, PartyId from) {
    int sumBits = sc.getSumBits();
    int perCiphertext = sc.getSumsPerCiphertext();
    int count = sc.getCandidates();
    int plaintextBits = engine.publicKey().n().bitLength() - 2;
    if (sumBits != 3 * w
        || perCiphertext < 1
        || (long) perCiphertext * sumBits > plaintextBits
        || sc.getPackedLeftSums().getCount() != (count + perCiphertext - 1) / perCiphertext) {
      throw new IllegalStateException(
          from
              + " sent node "
              + sc.getNode()
              + " candidates with an inconsistent packing: "
              + count
              + " sums, "
              + perCiphertext
              + " per ciphertext of "
              + sumBits
              + " bits, "
              + sc.getPackedLeftSums().getCount()
              + " ciphertexts; expected "
              + 3 * w
              + "-bit sums");
    }
    BigInteger[] packed =
        engine.decrypt(
            engine.fromWire(EncryptedVector.fromProto(sc.getPackedLeftSums(), engine.publicKey())));
    BigInteger sumMask = BigInteger.ONE.shiftLeft(sumBits).subtract(BigInteger.ONE);
    BigInteger slotMask = BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE);
    Stats[] out = new Stats[count];
    for (int k = 0; k < count; k++) {
      BigInteger p =
          packed[k / perCiphertext].shiftRight((k % perCiphertext) * sumBits).and(sumMask);
      long c = p.and(slotMask).longValueExact();
      long h = p.shiftRight(w).and(slotMask).longValueExact();
      long g =
          p.shiftRight(2 * w)
              .subtract(BigInteger.valueOf(c).multiply(BigInteger.valueOf(bound)))
              .longValueExact();
      out[k] = new Stats(g, h, c);
    }
    return out;
  }

  /**
   * Scores rows with a trained model: receives every provider's {@link PredictionRoutes} under
   * {@code sb/predict/<predictionId>/routes} and walks the trees.
   */
  public static Prediction predict(
      Federation fed,
      List<PartyId> featureParties,
      String predictionId,
      Result model,
      BinnedTable rows) {
    int n = rows.rows();
    Map<String, boolean[]> routes = new HashMap<>();
    for (int p = 0; p < featureParties.size(); p++) {
      PredictionRoutes r =
          fed.receive(
              featureParties.get(p),
              "sb/predict/" + predictionId + "/routes",
              PredictionRoutes.class);
      if (r.getRows() != n) {
        throw new IllegalStateException(
            featureParties.get(p) + " routed " + r.getRows() + " rows, the bank scores " + n);
      }
      for (NodeRoute route : r.getRoutesList()) {
        routes.put(
            (p + 1) + "/" + route.getTree() + "/" + route.getNode(),
            BoostMath.unbits(route.getLeft().toByteArray(), n));
      }
    }
    double[] margins = new double[n];
    for (int t = 0; t < model.trees().size(); t++) {
      BoostedTree tree = model.trees().get(t);
      for (int i = 0; i < n; i++) {
        int node = 0;
        while (true) {
          TreeNode x = tree.nodes().get(node);
          boolean goLeft;
          if (x instanceof TreeNode.Leaf leaf) {
            margins[i] += leaf.weight();
            break;
          } else if (x instanceof TreeNode.Split s) {
            goLeft = s.rule().goesLeft(rows.bins()[i][s.rule().feature()]);
          } else {
            TreeNode.HiddenSplit h = (TreeNode.HiddenSplit) x;
            boolean[] r = routes.get(h.party() + "/" + t + "/" + node);
            if (r == null) {
              throw new IllegalStateException(
                  featureParties.get(h.party() - 1)
                      + " sent no route for tree "
                      + t
                      + " node "
                      + node
                      + "; was it given the same model?");
            }
            goLeft = r[i];
          }
          node = goLeft ? BoostedTree.left(node) : BoostedTree.right(node);
        }
      }
    }
    return new Prediction(margins);
  }
}
