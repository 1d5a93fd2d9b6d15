package org.fedcredit.modelzoo.psi;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.LogContext;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.psi.v1.AlignmentBatch;
import org.fedcredit.protocols.psi.v1.AlignmentSize;
import org.fedcredit.protocols.psi.v1.PsiHello;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The label party's (bank's) side of ECDH private set intersection with one or more feature
 * parties. It learns the intersection; each feature party learns which of its own rows are aligned
 * and in which order. Message table and leakage: docs/protocols/psi.md; curve: docs/adr/004.
 *
 * <p>Protocol, per feature party F (the bank's secret {@code a} and F's {@code b} are fresh per
 * run; {@code H} hashes an id to Curve25519 in the job's domain):
 *
 * <ol>
 *   <li>hello both ways: protocol, job-domain digest, set size, batch size;
 *   <li>bank → F: {@code a·H(x)} for its consented ids, in a random order (computed once, sent to
 *       every F); F → bank: {@code b·H(y)}, in a random order;
 *   <li>F → bank: {@code b·(a·H(x))}, in the order received; the bank computes {@code a·(b·H(y))}
 *       and matches equal values;
 *   <li>bank → F: the aligned positions of F's stream, in the job's order.
 * </ol>
 *
 * <p>The common intersection is the set of ids present at the bank and at <em>every</em> feature
 * party; its order is ascending id order. An empty intersection stops the job with a {@link
 * PsiException} at every party.
 */
public final class PsiLabelParty {

  private static final Logger LOG = LoggerFactory.getLogger(PsiLabelParty.class);

  private final Federation fed;
  private final List<PartyId> featureParties;
  private final PsiConfig config;
  private final SecureRandom random;

  public PsiLabelParty(Federation fed, List<PartyId> featureParties, PsiConfig config) {
    this(fed, featureParties, config, new SecureRandom());
  }

  PsiLabelParty(
      Federation fed, List<PartyId> featureParties, PsiConfig config, SecureRandom random) {
    this.fed = Objects.requireNonNull(fed, "fed");
    this.featureParties = List.copyOf(featureParties);
    this.config = Objects.requireNonNull(config, "config");
    this.random = random;
    if (this.featureParties.isEmpty()) {
      throw new IllegalArgumentException("PSI needs at least one feature party");
    }
    if (this.featureParties.size() != Set.copyOf(this.featureParties).size()
        || this.featureParties.contains(fed.self())) {
      throw new IllegalArgumentException(
          "feature parties " + this.featureParties + " must be distinct and not " + fed.self());
    }
  }

  /**
   * Runs PSI with every feature party and returns this party's alignment.
   *
   * @throws PsiException on a duplicate or empty id in {@code input}, an empty intersection or a
   *     peer that breaks the protocol
   */
  public Alignment run(PsiInput input) {
    return LogContext.run(config.jobId(), fed.self(), () -> align(input));
  }

  private Alignment align(PsiInput input) {
    long t0 = System.nanoTime();
    PreparedSet own = PreparedSet.prepare(fed.self().name(), input, random);
    byte[] domain = PsiWire.domain(config.jobId());
    BlindingKey key = BlindingKey.random(random);
    int batch = config.batchSize();
    int n = own.size();

    PsiHello hello = PsiWire.hello(domain, n, batch);
    featureParties.forEach(p -> fed.send(p, PsiWire.HELLO, hello));
    Map<PartyId, PsiHello> peers = new LinkedHashMap<>();
    for (PartyId p : featureParties) {
      peers.put(p, PsiWire.receiveHello(fed, p, domain));
    }
    LOG.info(
        "PSI with {}: {} consented ids ({} excluded without consent)",
        featureParties,
        n,
        own.excludedWithoutConsent);

    int[][] match = new int[featureParties.size()][];
    try (OrderedParallelMap workers =
        new OrderedParallelMap(config.threads(), "psi-" + fed.self())) {
      workers.run(
          PsiWire.batches(n, batch),
          k -> k,
          k ->
              key.hashAndBlind(
                  domain, own.ids, own.sentOrder, k * batch, Math.min(n, (k + 1) * batch)),
          (k, points) ->
              featureParties.forEach(
                  p -> fed.send(p, PsiWire.LABEL_BLINDED, PsiWire.batch(k * batch, points))));

      for (int j = 0; j < featureParties.size(); j++) {
        PartyId p = featureParties.get(j);
        match[j] = matchWith(p, peers.get(p), key, workers, n);
      }
    }

    List<Integer> common = new ArrayList<>();
    for (int pos = 0; pos < n; pos++) {
      if (inAll(match, pos)) {
        common.add(pos);
      }
    }
    if (common.isEmpty()) {
      featureParties.forEach(
          p -> fed.send(p, PsiWire.ALIGNMENT_SIZE, AlignmentSize.newBuilder().setSize(0).build()));
      throw new PsiException(emptyMessage(match, n, own, peers));
    }
    common.sort((x, y) -> own.ids.get(own.sentOrder[x]).compareTo(own.ids.get(own.sentOrder[y])));
    int m = common.size();
    for (int j = 0; j < featureParties.size(); j++) {
      PartyId p = featureParties.get(j);
      fed.send(p, PsiWire.ALIGNMENT_SIZE, AlignmentSize.newBuilder().setSize(m).build());
      for (int from = 0; from < m; from += batch) {
        AlignmentBatch.Builder b = AlignmentBatch.newBuilder().setOffset(from);
        for (int i = from; i < Math.min(m, from + batch); i++) {
          b.addPositions(match[j][common.get(i)]);
        }
        fed.send(p, PsiWire.ALIGNMENT, b.build());
      }
    }
    int[] rows = new int[m];
    for (int i = 0; i < m; i++) {
      rows[i] = own.sentOrder[common.get(i)];
    }
    Map<PartyId, Long> sizes = new LinkedHashMap<>();
    peers.forEach((p, h) -> sizes.put(p, h.getSetSize()));
    Alignment a = new Alignment(fed.self(), rows, own.inputRows, own.excludedWithoutConsent, sizes);
    LOG.info("PSI done in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, a);
    return a;
  }

  /**
   * Blinds F's stream a second time, then looks up F's double blinding of each of the bank's
   * values: {@code result[pos]} is the position in F's stream equal to the bank's value {@code
   * pos}, or -1.
   */
  private int[] matchWith(
      PartyId peer, PsiHello hello, BlindingKey key, OrderedParallelMap workers, int n) {
    int theirs = (int) hello.getSetSize();
    int theirBatch = hello.getBatchSize();
    byte[] doubleBlinded = new byte[theirs * BlindingKey.POINT_BYTES];
    String desc = "feature party " + peer;
    workers.run(
        PsiWire.batches(theirs, theirBatch),
        k -> PsiWire.receiveBatch(fed, peer, PsiWire.FEATURE_BLINDED, k, theirBatch, theirs),
        points -> key.blind(points, desc),
        (k, out) ->
            System.arraycopy(
                out, 0, doubleBlinded, k * theirBatch * BlindingKey.POINT_BYTES, out.length));
    BlindedTable table = new BlindedTable(doubleBlinded, "the stream of " + desc);
    int[] match = new int[n];
    int batch = config.batchSize();
    for (int k = 0; k < PsiWire.batches(n, batch); k++) {
      byte[] points = PsiWire.receiveBatch(fed, peer, PsiWire.LABEL_DOUBLE_BLINDED, k, batch, n);
      for (int i = 0; i * BlindingKey.POINT_BYTES < points.length; i++) {
        match[k * batch + i] = table.find(points, i * BlindingKey.POINT_BYTES);
      }
    }
    return match;
  }

  private static boolean inAll(int[][] match, int pos) {
    for (int[] m : match) {
      if (m[pos] < 0) {
        return false;
      }
    }
    return true;
  }

  private String emptyMessage(int[][] match, int n, PreparedSet own, Map<PartyId, PsiHello> peers) {
    StringBuilder s =
        new StringBuilder(fed.self() + ": the PSI intersection is empty, the job cannot continue. ")
            .append(fed.self())
            .append(" has ")
            .append(n)
            .append(" consented ids (")
            .append(own.excludedWithoutConsent)
            .append(" excluded without consent)");
    for (int j = 0; j < featureParties.size(); j++) {
      PartyId p = featureParties.get(j);
      long common = Arrays.stream(match[j]).filter(v -> v >= 0).count();
      s.append("; ")
          .append(p)
          .append(" has ")
          .append(peers.get(p).getSetSize())
          .append(", in common with ")
          .append(fed.self())
          .append(": ")
          .append(common);
    }
    return s.append(". Check that all parties use the same id scheme and the same job.").toString();
  }
}
