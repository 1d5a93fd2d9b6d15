package org.fedcredit.modelzoo.psi;

import java.security.SecureRandom;
import java.util.BitSet;
import java.util.Map;
import java.util.Objects;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.LogContext;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.psi.v1.AlignmentBatch;
import org.fedcredit.protocols.psi.v1.AlignmentSize;
import org.fedcredit.protocols.psi.v1.PsiHello;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A feature party's (data provider's) side of ECDH private set intersection with the label party;
 * the protocol is described at {@link PsiLabelParty}. This party learns the label party's set size
 * and which of its own rows are aligned, in the job's order — what vertical training needs, and
 * what FATE's hosts learn too. It never learns the label party's ids outside the intersection.
 */
public final class PsiFeatureParty {

  private static final Logger LOG = LoggerFactory.getLogger(PsiFeatureParty.class);

  private final Federation fed;
  private final PartyId labelParty;
  private final PsiConfig config;
  private final SecureRandom random;

  public PsiFeatureParty(Federation fed, PartyId labelParty, PsiConfig config) {
    this(fed, labelParty, config, new SecureRandom());
  }

  PsiFeatureParty(Federation fed, PartyId labelParty, PsiConfig config, SecureRandom random) {
    this.fed = Objects.requireNonNull(fed, "fed");
    this.labelParty = Objects.requireNonNull(labelParty, "labelParty");
    this.config = Objects.requireNonNull(config, "config");
    this.random = random;
    if (labelParty.equals(fed.self())) {
      throw new IllegalArgumentException("the label party " + labelParty + " is this party");
    }
  }

  /**
   * Runs PSI with the label party and returns this party's alignment.
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

    fed.send(labelParty, PsiWire.HELLO, PsiWire.hello(domain, n, batch));
    PsiHello peer = PsiWire.receiveHello(fed, labelParty, domain);
    long theirs = peer.getSetSize();
    int theirBatch = peer.getBatchSize();
    LOG.info(
        "PSI with {}: {} consented ids ({} excluded without consent)",
        labelParty,
        n,
        own.excludedWithoutConsent);

    try (OrderedParallelMap workers =
        new OrderedParallelMap(config.threads(), "psi-" + fed.self())) {
      workers.run(
          PsiWire.batches(n, batch),
          k -> k,
          k ->
              key.hashAndBlind(
                  domain, own.ids, own.sentOrder, k * batch, Math.min(n, (k + 1) * batch)),
          (k, points) ->
              fed.send(labelParty, PsiWire.FEATURE_BLINDED, PsiWire.batch(k * batch, points)));
      String desc = "label party " + labelParty;
      workers.run(
          PsiWire.batches(theirs, theirBatch),
          k -> PsiWire.receiveBatch(fed, labelParty, PsiWire.LABEL_BLINDED, k, theirBatch, theirs),
          points -> key.blind(points, desc),
          (k, out) ->
              fed.send(
                  labelParty, PsiWire.LABEL_DOUBLE_BLINDED, PsiWire.batch(k * theirBatch, out)));
    }

    int[] rows = receiveAlignment(own, theirs);
    Alignment a =
        new Alignment(
            fed.self(),
            rows,
            own.inputRows,
            own.excludedWithoutConsent,
            Map.of(labelParty, theirs));
    LOG.info("PSI done in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, a);
    return a;
  }

  private int[] receiveAlignment(PreparedSet own, long theirs) {
    long m = fed.receive(labelParty, PsiWire.ALIGNMENT_SIZE, AlignmentSize.class).getSize();
    if (m == 0) {
      throw new PsiException(
          fed.self()
              + ": the PSI intersection with label party "
              + labelParty
              + " is empty, the job cannot continue ("
              + own.size()
              + " consented ids here, "
              + theirs
              + " there). Check that all parties use the same id scheme and the same job.");
    }
    if (m > own.size()) {
      throw new PsiException(
          fed.self() + ": " + labelParty + " announces " + m + " aligned rows of " + own.size());
    }
    int[] rows = new int[(int) m];
    BitSet seen = new BitSet(own.size());
    int filled = 0;
    while (filled < m) {
      AlignmentBatch b = fed.receive(labelParty, PsiWire.ALIGNMENT, AlignmentBatch.class);
      if (b.getOffset() != filled
          || b.getPositionsCount() == 0
          || filled + b.getPositionsCount() > m) {
        throw new PsiException(
            fed.self()
                + ": alignment batch from "
                + labelParty
                + " at offset "
                + b.getOffset()
                + " with "
                + b.getPositionsCount()
                + " positions does not continue the "
                + filled
                + " of "
                + m
                + " received");
      }
      for (int i = 0; i < b.getPositionsCount(); i++) {
        int pos = b.getPositions(i);
        if (pos < 0 || pos >= own.size() || seen.get(pos)) {
          throw new PsiException(
              fed.self()
                  + ": alignment from "
                  + labelParty
                  + " names position "
                  + Integer.toUnsignedString(pos)
                  + " which is out of range or repeated");
        }
        seen.set(pos);
        rows[filled++] = own.sentOrder[pos];
      }
    }
    return rows;
  }
}
