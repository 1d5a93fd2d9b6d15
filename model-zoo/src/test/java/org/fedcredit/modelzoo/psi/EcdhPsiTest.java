package org.fedcredit.modelzoo.psi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedcredit.modelzoo.psi.PsiHarness.BANK;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fedcredit.modelzoo.federation.FederationException;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.psi.PsiHarness.Outcome;
import org.junit.jupiter.api.Test;

class EcdhPsiTest {

  static final PartyId TAX = PartyId.of("tax-bureau");
  static final PartyId UTILITY = PartyId.of("utility");

  /** Ids shaped like unified social credit codes: 18 characters. */
  static String id(int i) {
    return String.format("91310000%010d", i);
  }

  /** Each of {@code universe} ids is held with probability {@code p}, in a shuffled row order. */
  static List<String> sample(Random r, int universe, double p) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < universe; i++) {
      if (r.nextDouble() < p) {
        out.add(id(i));
      }
    }
    java.util.Collections.shuffle(out, r);
    return out;
  }

  static PsiConfig config(int batch) {
    return PsiConfig.of("job-42").withBatchSize(batch).withThreads(2);
  }

  /** Asserts that every party's aligned ids are the plain intersection in ascending order. */
  static void assertAligned(Outcome out, List<String> bank, Map<PartyId, List<String>> providers) {
    Set<String> expected = new TreeSet<>(bank);
    providers.values().forEach(expected::retainAll);
    List<String> order = new ArrayList<>(expected);

    assertThat(out.of(BANK).ids(bank)).containsExactlyElementsOf(order);
    providers.forEach(
        (p, ids) -> assertThat(out.of(p).ids(ids)).as("%s", p).containsExactlyElementsOf(order));
  }

  @Test
  void threePartiesAlignOnThePlainIntersectionInOneOrder() {
    Random r = new Random(7);
    List<String> bank = sample(r, 3000, 0.6);
    Map<PartyId, List<String>> providers = new LinkedHashMap<>();
    providers.put(TAX, sample(r, 3000, 0.5));
    providers.put(UTILITY, sample(r, 3000, 0.4));

    // A batch size that divides nothing exercises partial last batches.
    Outcome out =
        PsiHarness.run(
            config(97),
            PsiInput.of(bank),
            providers.entrySet().stream()
                .collect(
                    Collectors.toMap(
                        Map.Entry::getKey,
                        e -> PsiInput.of(e.getValue()),
                        (a, b) -> a,
                        LinkedHashMap::new)));

    assertThat(out.failures()).isEmpty();
    assertAligned(out, bank, providers);
    assertThat(out.of(BANK).size()).isBetween(300, 500); // 3000 · 0.6 · 0.5 · 0.4 = 360
    assertThat(out.of(BANK).peerSetSizes())
        .containsEntry(TAX, (long) providers.get(TAX).size())
        .containsEntry(UTILITY, (long) providers.get(UTILITY).size());
    assertThat(out.of(TAX).peerSetSizes()).containsExactly(Map.entry(BANK, (long) bank.size()));
  }

  @Property(tries = 8)
  void alignmentIsThePlainIntersectionForRandomPartialOverlaps(
      @ForAll @IntRange(min = 1, max = 3) int featureParties,
      @ForAll @IntRange(min = 1, max = 160) int universe,
      @ForAll @IntRange(min = 1, max = 50) int batch,
      @ForAll long seed) {
    Random r = new Random(seed);
    List<String> bank = sample(r, universe, 0.3 + 0.7 * r.nextDouble());
    bank.add(id(universe)); // one id that everyone holds: the intersection is never empty
    Map<PartyId, List<String>> providers = new LinkedHashMap<>();
    Map<PartyId, PsiInput> inputs = new LinkedHashMap<>();
    for (int j = 0; j < featureParties; j++) {
      List<String> ids = sample(r, universe, 0.3 + 0.7 * r.nextDouble());
      ids.add(r.nextInt(ids.size() + 1), id(universe));
      providers.put(PartyId.of("provider-" + j), ids);
      inputs.put(PartyId.of("provider-" + j), PsiInput.of(ids));
    }

    Outcome out = PsiHarness.run(config(batch), PsiInput.of(bank), inputs);

    assertThat(out.failures()).isEmpty();
    assertAligned(out, bank, providers);
  }

  @Test
  void rowsWithoutConsentNeverEnterPsiAndAreCounted() {
    List<String> bank = new ArrayList<>();
    List<String> tax = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      bank.add(id(i));
      tax.add(id(399 - i));
    }
    // Bank: ids divisible by 3 without consent (134 rows); tax bureau: flags per row, every 5th.
    PsiInput bankInput = PsiInput.of(bank, id -> Long.parseLong(id.substring(8)) % 3 != 0);
    List<PsiInput.Row> taxRows = new ArrayList<>();
    for (String id : tax) {
      taxRows.add(new PsiInput.Row(id, Long.parseLong(id.substring(8)) % 5 != 0));
    }

    Outcome out = PsiHarness.run(config(64), bankInput, Map.of(TAX, PsiInput.ofRows(taxRows)));

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      if (i % 3 != 0 && i % 5 != 0) {
        expected.add(id(i));
      }
    }
    assertThat(out.of(BANK).ids(bank)).containsExactlyElementsOf(expected);
    assertThat(out.of(TAX).ids(tax)).containsExactlyElementsOf(expected);
    assertThat(out.of(BANK).excludedWithoutConsent()).isEqualTo(134);
    assertThat(out.of(TAX).excludedWithoutConsent()).isEqualTo(80);
    assertThat(out.of(BANK).inputRows()).isEqualTo(400);
    // The peers learn only the consented set sizes.
    assertThat(out.of(TAX).peerSetSizes()).containsEntry(BANK, 266L);
    assertThat(out.of(BANK).peerSetSizes()).containsEntry(TAX, 320L);
  }

  @Test
  void duplicateIdIsAnErrorNamingTheIdAndRowsAtItsOwnerOnly() {
    List<String> tax = new ArrayList<>(List.of(id(1), id(2), id(3), id(4)));
    tax.add(id(2));

    Outcome out =
        PsiHarness.run(
            config(16), PsiInput.of(List.of(id(1), id(2), id(3))), Map.of(TAX, PsiInput.of(tax)));

    assertThat(out.failures().get(TAX))
        .isInstanceOf(PsiException.class)
        .hasMessageContaining("tax-bureau")
        .hasMessageContaining("'" + id(2) + "' appears more than once")
        .hasMessageContaining("rows 1 and 4");
    // The bank stops because its peer failed; in this in-memory run the cause travels along, over
    // the network only the failure would.
    assertThat(out.failures().get(BANK))
        .isInstanceOf(FederationException.class)
        .hasMessageContaining("from tax-bureau, which failed");
  }

  @Test
  void duplicateIdAmongRowsWithoutConsentIsStillAnError() {
    List<PsiInput.Row> rows =
        List.of(
            new PsiInput.Row(id(5), true),
            new PsiInput.Row(id(6), false),
            new PsiInput.Row(id(6), false));
    Outcome out =
        PsiHarness.run(config(16), PsiInput.ofRows(rows), Map.of(TAX, PsiInput.of(List.of(id(5)))));

    assertThat(out.failures().get(BANK))
        .isInstanceOf(PsiException.class)
        .hasMessageContaining("'" + id(6) + "' appears more than once (rows 1 and 2)");
  }

  @Test
  void emptyIntersectionStopsEveryPartyWithAClearError() {
    Outcome out =
        PsiHarness.run(
            config(16),
            PsiInput.of(List.of(id(1), id(2), id(3))),
            Map.of(TAX, PsiInput.of(List.of(id(2), id(4))), UTILITY, PsiInput.of(List.of(id(3)))));

    assertThat(out.alignments()).isEmpty();
    assertThat(out.failures().get(BANK))
        .isInstanceOf(PsiException.class)
        .hasMessageContaining("intersection is empty, the job cannot continue")
        .hasMessageContaining("bank has 3 consented ids")
        .hasMessageContaining("tax-bureau has 2, in common with bank: 1")
        .hasMessageContaining("utility has 1, in common with bank: 1");
    for (PartyId p : List.of(TAX, UTILITY)) {
      assertThat(out.failures().get(p))
          .isInstanceOf(PsiException.class)
          .hasMessageContaining(p + ": the PSI intersection with label party bank is empty");
    }
  }

  @Test
  void partiesOfDifferentJobsStopInsteadOfFindingNothing() {
    java.util.Set<PartyId> all = Set.of(BANK, TAX);
    var fed = new org.fedcredit.modelzoo.federation.InMemoryFederation(all);
    var bankRole = new PsiLabelParty(fed.endpoint(BANK), List.of(TAX), config(16));
    var taxRole = new PsiFeatureParty(fed.endpoint(TAX), BANK, PsiConfig.of("job-43"));
    var taxRun =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> taxRole.run(PsiInput.of(List.of(id(1)))));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> bankRole.run(PsiInput.of(List.of(id(1)))))
        .isInstanceOf(PsiException.class)
        .hasMessageContaining("different job id");
    org.assertj.core.api.Assertions.assertThatThrownBy(taxRun::join)
        .hasCauseInstanceOf(PsiException.class)
        .hasMessageContaining("different job id");
  }

  @Test
  void noRawIdItsHashOrItsUnblindedPointIsEverSent() {
    Random r = new Random(11);
    List<String> bank = sample(r, 1500, 0.7);
    List<String> tax = sample(r, 1500, 0.7);
    ConcurrentLinkedQueue<byte[]> wire = new ConcurrentLinkedQueue<>();

    Outcome out =
        PsiHarness.run(
            config(256),
            PsiInput.of(bank),
            Map.of(TAX, PsiInput.of(tax)),
            (from, to, tag, payload) -> wire.add(payload));

    assertThat(out.failures()).isEmpty();
    long bytes = wire.stream().mapToLong(b -> b.length).sum();
    assertThat(bytes).isGreaterThan(32L * (2 * bank.size() + tax.size()));

    byte[] domain = PsiWire.domain("job-42");
    Set<ByteBuffer> forbidden = new HashSet<>();
    for (String id : new TreeSet<>(concat(bank, tax))) {
      byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
      forbidden.add(ByteBuffer.wrap(utf8));
      forbidden.add(ByteBuffer.wrap(PsiWire.sha256(utf8)));
      forbidden.add(ByteBuffer.wrap(BlindingKey.hashToCurve(domain, id)));
    }
    assertThat(occurrences(List.copyOf(wire), forbidden)).isEmpty();

    // The scan itself finds what is there.
    byte[] planted = ("xx" + bank.get(0) + "yy").getBytes(StandardCharsets.UTF_8);
    assertThat(occurrences(List.of(planted), forbidden)).hasSize(1);
    byte[] point = BlindingKey.hashToCurve(domain, tax.get(3));
    assertThat(occurrences(List.of(new byte[5], point), forbidden)).hasSize(1);
  }

  @Test
  void everyRunUsesFreshSecrets() {
    List<String> bank = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      bank.add(id(i));
    }
    List<Set<ByteBuffer>> sentByBank = new ArrayList<>();
    List<List<String>> aligned = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Set<ByteBuffer> points = new HashSet<>();
      Outcome out =
          PsiHarness.run(
              config(64),
              PsiInput.of(bank),
              Map.of(TAX, PsiInput.of(bank.subList(50, 200))),
              (from, to, tag, payload) -> {
                if (tag.equals(PsiWire.LABEL_BLINDED)) {
                  points.addAll(points(payload));
                }
              });
      sentByBank.add(points);
      aligned.add(out.of(TAX).ids(bank.subList(50, 200)));
    }

    assertThat(sentByBank.get(0)).hasSize(200);
    assertThat(sentByBank.get(1)).hasSize(200).doesNotContainAnyElementsOf(sentByBank.get(0));
    assertThat(aligned.get(0)).hasSize(150).isEqualTo(aligned.get(1));
  }

  /** The 32-byte values inside a serialised BlindedBatch. */
  static List<ByteBuffer> points(byte[] payload) {
    try {
      byte[] pts =
          org.fedcredit.protocols.psi.v1.BlindedBatch.parseFrom(payload).getPoints().toByteArray();
      List<ByteBuffer> out = new ArrayList<>();
      for (int off = 0; off < pts.length; off += 32) {
        out.add(ByteBuffer.wrap(pts, off, 32).slice());
      }
      return out;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** Every needle found at any offset of any payload. */
  static List<String> occurrences(List<byte[]> payloads, Set<ByteBuffer> needles) {
    Set<Integer> lengths = needles.stream().map(ByteBuffer::remaining).collect(Collectors.toSet());
    List<String> found = new ArrayList<>();
    for (byte[] p : payloads) {
      for (int len : lengths) {
        for (int off = 0; off + len <= p.length; off++) {
          if (needles.contains(ByteBuffer.wrap(p, off, len))) {
            found.add("offset " + off + " length " + len);
          }
        }
      }
    }
    return found;
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
