package org.fedcredit.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.MessageObserver;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.lr.CoordinatorRole;
import org.fedcredit.modelzoo.lr.FeaturePartyRole;
import org.fedcredit.modelzoo.lr.LabelPartyRole;
import org.fedcredit.modelzoo.lr.VerticalLogisticRegression;
import org.fedcredit.modelzoo.lr.VerticalLrConfig;
import org.fedcredit.secagg.paillier.CryptoMode;
import org.fedcredit.secagg.paillier.PaillierEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md §4: the same role programs over the network give the same model. Vertical LR (a bank,
 * two providers, the coordinator) runs once over {@link InMemoryFederation} and once over four
 * {@link GrpcFederation}s, each party with its own mTLS server on loopback; the weights, the
 * intercept and the revealed losses must be identical, and so must the messages each party sent.
 */
class VerticalLrOverGrpcTest {

  static final PartyId BANK = PartyId.of("bank");
  static final PartyId TAX = PartyId.of("tax-bureau");
  static final PartyId UTILITY = PartyId.of("utility");
  static final PartyId COORDINATOR = PartyId.of("coordinator");
  static final int ROWS = 120;
  static final VerticalLrConfig CONFIG =
      VerticalLrConfig.defaults()
          .withEpochs(3)
          .withBatchSize(32)
          .withTolerance(0)
          .withCrypto(CryptoMode.PLAINTEXT_INSECURE);

  @TempDir Path dir;

  @Test
  void theModelTrainedOverGrpcWithMutualTlsEqualsTheInMemoryOne() throws Exception {
    double[][] x = new double[ROWS][5];
    int[] y = new int[ROWS];
    Random r = new Random(11);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      ids.add("e" + i);
      double z = 0;
      for (int j = 0; j < 5; j++) {
        x[i][j] = r.nextGaussian();
        z += (j % 2 == 0 ? 0.9 : -0.6) * x[i][j];
      }
      y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    LocalTable bank = table("bank", ids, x, 0, 2, y);
    Map<PartyId, LocalTable> providers = new LinkedHashMap<>();
    providers.put(TAX, table("tax", ids, x, 2, 4, null));
    providers.put(UTILITY, table("utility", ids, x, 4, 5, null));
    List<PartyId> providerIds = List.copyOf(providers.keySet());
    PaillierEngine.Options engine = PaillierEngine.Options.defaults();

    InMemoryFederation memory =
        new InMemoryFederation(
            VerticalLogisticRegression.parties(BANK, providers.keySet(), COORDINATOR));
    Map<String, List<String>> memoryTags = new ConcurrentHashMap<>();
    memory.observe(recorder(memoryTags));
    VerticalLogisticRegression.Model expected =
        VerticalLogisticRegression.simulate(
            BANK, bank, providers, COORDINATOR, CONFIG, engine, memory);

    Map<String, List<String>> grpcTags = new ConcurrentHashMap<>();
    try (TestNodes nodes =
        new TestNodes(dir.resolve("ca"), "bank", "tax-bureau", "utility", "coordinator")) {
      String job = "vertical-lr-1";
      nodes.acceptEverywhere(job, nodes.nodes.keySet());
      GrpcFederation.Options options =
          GrpcFederation.Options.defaults()
              .withReceiveTimeout(Duration.ofSeconds(60))
              .withObserver(recorder(grpcTags));
      Map<PartyId, GrpcFederation> feds = new LinkedHashMap<>();
      for (PartyId p : nodes.nodes.keySet()) {
        feds.put(p, nodes.federation(p.name(), job, options));
      }
      ExecutorService threads = Executors.newFixedThreadPool(4);
      try {
        Future<CoordinatorRole.Result> coordinator =
            run(
                threads,
                feds,
                COORDINATOR,
                () ->
                    new CoordinatorRole(
                            feds.get(COORDINATOR), BANK, providerIds, ROWS, CONFIG, engine)
                        .run());
        Future<LabelPartyRole.Result> label =
            run(
                threads,
                feds,
                BANK,
                () ->
                    new LabelPartyRole(
                            feds.get(BANK), COORDINATOR, providerIds, bank, CONFIG, engine)
                        .run());
        Map<PartyId, Future<FeaturePartyRole.Result>> features = new LinkedHashMap<>();
        for (PartyId p : providerIds) {
          features.put(
              p,
              run(
                  threads,
                  feds,
                  p,
                  () ->
                      new FeaturePartyRole(
                              feds.get(p),
                              BANK,
                              COORDINATOR,
                              providerIds,
                              providers.get(p),
                              CONFIG,
                              engine)
                          .run()));
        }

        LabelPartyRole.Result b = label.get(120, TimeUnit.SECONDS);
        assertThat(b.weights()).containsExactly(expected.bank().weights());
        assertThat(b.intercept()).isEqualTo(expected.bank().intercept());
        assertThat(b.epochLosses()).containsExactly(expected.bank().epochLosses());
        for (PartyId p : providerIds) {
          assertThat(features.get(p).get(120, TimeUnit.SECONDS).weights())
              .as("weights of %s", p)
              .containsExactly(expected.providers().get(p).weights());
        }
        assertThat(coordinator.get(120, TimeUnit.SECONDS).epochLosses())
            .containsExactly(expected.coordinator().epochLosses());
      } finally {
        threads.shutdownNow();
      }
      for (GrpcFederation f : feds.values()) {
        f.flush();
      }
      // What each party sent to each other, and in which order, is the same on both transports;
      // the bytes a party acknowledged are the bytes its peer received.
      assertThat(grpcTags).isEqualTo(memoryTags);
      for (var from : feds.entrySet()) {
        for (var to : from.getValue().bytesSent().entrySet()) {
          assertThat(feds.get(to.getKey()).bytesReceived().getOrDefault(from.getKey(), 0L))
              .as("%s -> %s", from.getKey(), to.getKey())
              .isEqualTo(to.getValue());
        }
      }
      assertThat(feds.get(TAX).bytesSent().get(BANK)).isPositive();
    }
  }

  private static MessageObserver recorder(Map<String, List<String>> tags) {
    return (from, to, tag, bytes) ->
        tags.computeIfAbsent(from + "->" + to, k -> new CopyOnWriteArrayList<>()).add(tag);
  }

  private static <T> Future<T> run(
      ExecutorService threads, Map<PartyId, GrpcFederation> feds, PartyId who, Callable<T> role) {
    return threads.submit(
        () -> {
          try {
            return role.call();
          } catch (RuntimeException | Error e) {
            // As the coordinator will: the others stop waiting for a party that failed.
            for (var f : feds.entrySet()) {
              if (!f.getKey().equals(who)) {
                f.getValue().failPeer(who, e.toString());
              }
            }
            throw e;
          }
        });
  }

  private static LocalTable table(
      String name, List<String> ids, double[][] x, int from, int to, int[] labels) {
    double[][] cols = new double[to - from][ROWS];
    List<String> names = new ArrayList<>();
    for (int j = from; j < to; j++) {
      names.add("x" + j);
      for (int i = 0; i < ROWS; i++) {
        cols[j - from][i] = x[i][j];
      }
    }
    return new LocalTable(name, ids, names, cols, labels);
  }
}
