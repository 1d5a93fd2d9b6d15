package org.fedcredit.modelzoo.lr;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.federation.PartyThreads;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * Vertical logistic regression across a bank (labels + its features) and N ≥ 1 data providers, with
 * FATE's coordinated-LR semantics (Taylor loss, mini-batch gradient descent, L2, early stopping on
 * the loss) but a coordinator that never sees a gradient, a weight or a per-sample value in the
 * clear. The protocol and what each party learns: docs/protocols/vertical-lr.md.
 *
 * <p>{@link #simulate} runs every role on its own thread over an {@link InMemoryFederation}; the
 * node daemons run the same role classes over gRPC.
 */
public final class VerticalLogisticRegression {

  private VerticalLogisticRegression() {}

  /** The trained model: the bank's weights and intercept, each provider's weights. */
  public record Model(
      LabelPartyRole.Result bank,
      Map<PartyId, FeaturePartyRole.Result> providers,
      CoordinatorRole.Result coordinator,
      Map<String, Long> bytesByPair) {

    /** {@code P(y = 1)} for aligned row {@code i} of the given tables (same order as training). */
    public double probability(
        LocalTable bankTable, Map<PartyId, LocalTable> providerTables, int i) {
      double u = bank.intercept();
      for (int j = 0; j < bank.weights().length; j++) {
        u += bank.weights()[j] * bankTable.value(i, j);
      }
      for (var e : providers.entrySet()) {
        LocalTable t = providerTables.get(e.getKey());
        double[] w = e.getValue().weights();
        for (int j = 0; j < w.length; j++) {
          u += w[j] * t.value(i, j);
        }
      }
      return 1 / (1 + Math.exp(-u));
    }
  }

  /**
   * Trains with all parties in this JVM. The tables must be aligned: row i is the same enterprise
   * at every party (PSI output).
   */
  public static Model simulate(
      PartyId bankId,
      LocalTable bank,
      Map<PartyId, LocalTable> providers,
      PartyId coordinatorId,
      VerticalLrConfig config,
      PaillierEngine.Options engineOptions,
      InMemoryFederation federation) {
    return simulate(
        bankId, bank, providers, coordinatorId, config, engineOptions, federation, (e, l, s) -> {});
  }

  /** As above, telling {@code listener} the coordinator's loss after every epoch. */
  public static Model simulate(
      PartyId bankId,
      LocalTable bank,
      Map<PartyId, LocalTable> providers,
      PartyId coordinatorId,
      VerticalLrConfig config,
      PaillierEngine.Options engineOptions,
      InMemoryFederation federation,
      CoordinatorRole.EpochListener listener) {
    List<PartyId> providerIds = new ArrayList<>(providers.keySet());
    for (var e : providers.entrySet()) {
      if (e.getValue().rows() != bank.rows()) {
        throw new IllegalArgumentException(
            e.getKey() + " has " + e.getValue().rows() + " aligned rows, the bank " + bank.rows());
      }
    }
    ExecutorService threads = Executors.newFixedThreadPool(providerIds.size() + 2);
    try {
      Future<CoordinatorRole.Result> c =
          PartyThreads.submit(
              threads,
              federation,
              coordinatorId,
              () ->
                  new CoordinatorRole(
                          federation.endpoint(coordinatorId),
                          bankId,
                          providerIds,
                          bank.rows(),
                          config,
                          engineOptions)
                      .onEpoch(listener)
                      .run());
      Future<LabelPartyRole.Result> b =
          PartyThreads.submit(
              threads,
              federation,
              bankId,
              () ->
                  new LabelPartyRole(
                          federation.endpoint(bankId),
                          coordinatorId,
                          providerIds,
                          bank,
                          config,
                          engineOptions)
                      .run());
      Map<PartyId, Future<FeaturePartyRole.Result>> p = new java.util.LinkedHashMap<>();
      for (PartyId id : providerIds) {
        p.put(
            id,
            PartyThreads.submit(
                threads,
                federation,
                id,
                () ->
                    new FeaturePartyRole(
                            federation.endpoint(id),
                            bankId,
                            coordinatorId,
                            providerIds,
                            providers.get(id),
                            config,
                            engineOptions)
                        .run()));
      }
      Map<PartyId, FeaturePartyRole.Result> out = new java.util.LinkedHashMap<>();
      for (var e : p.entrySet()) {
        out.put(e.getKey(), PartyThreads.await(e.getValue()));
      }
      return new Model(PartyThreads.await(b), out, PartyThreads.await(c), federation.bytesByPair());
    } finally {
      threads.shutdownNow();
    }
  }

  /** The parties of a job, for creating its {@link InMemoryFederation}. */
  public static Set<PartyId> parties(PartyId bank, Set<PartyId> providers, PartyId coordinator) {
    Set<PartyId> all = new LinkedHashSet<>();
    all.add(bank);
    all.addAll(providers);
    all.add(coordinator);
    return all;
  }
}
