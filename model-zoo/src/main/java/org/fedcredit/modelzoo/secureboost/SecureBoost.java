package org.fedcredit.modelzoo.secureboost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.federation.PartyThreads;
import org.fedcredit.secagg.paillier.PaillierEngine;

/**
 * Lossless vertical SecureBoost across a bank (labels + its features) and N ≥ 1 data providers: the
 * federated trees equal those of {@link PlainSecureBoost} on the pooled binned columns, while
 * labels, gradients, feature values and split thresholds never leave their owner in the clear. The
 * protocol and what each party learns: docs/protocols/secureboost.md.
 *
 * <p>{@link #simulate} and {@link #predict} run every role on its own thread over an {@link
 * InMemoryFederation}; nodes run the same {@link SecureBoostLabelParty} and {@link
 * SecureBoostFeatureParty} over any {@code Federation}.
 */
public final class SecureBoost {

  private SecureBoost() {}

  /** Every party's part of the model, and the providers' job order (party 1, 2, …). */
  public record Model(
      SecureBoostLabelParty.Result bank,
      Map<PartyId, SecureBoostFeatureParty.Result> providers,
      List<PartyId> providerOrder) {

    public Model {
      providers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(providers));
      providerOrder = List.copyOf(providerOrder);
    }

    /**
     * The trees with the providers' rules filled in: for comparison with the reference and for
     * audit in a simulation. A real deployment never assembles this.
     */
    public List<BoostedTree> assembledTrees() {
      List<BoostedTree> out = new ArrayList<>();
      for (int t = 0; t < bank.trees().size(); t++) {
        Map<Integer, TreeNode> nodes = new HashMap<>();
        for (var e : bank.trees().get(t).nodes().entrySet()) {
          TreeNode n = e.getValue();
          if (n instanceof TreeNode.HiddenSplit h) {
            SplitRule rule =
                providers
                    .get(providerOrder.get(h.party() - 1))
                    .rules()
                    .get(new SecureBoostFeatureParty.NodeKey(t, e.getKey()));
            n = new TreeNode.Split(h.party(), rule);
          }
          nodes.put(e.getKey(), n);
        }
        out.add(new BoostedTree(nodes));
      }
      return out;
    }
  }

  /** The parties of a job, for creating its {@link InMemoryFederation}. */
  public static Set<PartyId> parties(PartyId bank, Set<PartyId> providers) {
    Set<PartyId> all = new LinkedHashSet<>();
    all.add(bank);
    all.addAll(providers);
    return all;
  }

  /**
   * Trains with all parties in this JVM. Tables must be aligned (row i is the same enterprise at
   * every party); {@code providers} iterates in job order.
   */
  public static Model simulate(
      PartyId bankId,
      BinnedTable bank,
      int[] labels,
      double[] weights,
      Map<PartyId, BinnedTable> providers,
      SecureBoostConfig config,
      PaillierEngine.Options engineOptions,
      InMemoryFederation federation) {
    List<PartyId> order = new ArrayList<>(providers.keySet());
    for (var e : providers.entrySet()) {
      if (e.getValue().rows() != bank.rows()) {
        throw new IllegalArgumentException(
            e.getKey() + " has " + e.getValue().rows() + " aligned rows, the bank " + bank.rows());
      }
    }
    ExecutorService threads = Executors.newFixedThreadPool(order.size() + 1);
    try {
      Future<SecureBoostLabelParty.Result> b =
          PartyThreads.submit(
              threads,
              federation,
              bankId,
              () ->
                  new SecureBoostLabelParty(
                          federation.endpoint(bankId),
                          order,
                          bank,
                          labels,
                          weights,
                          config,
                          engineOptions)
                      .run());
      Map<PartyId, Future<SecureBoostFeatureParty.Result>> p = new LinkedHashMap<>();
      for (PartyId id : order) {
        p.put(
            id,
            PartyThreads.submit(
                threads,
                federation,
                id,
                () ->
                    new SecureBoostFeatureParty(
                            federation.endpoint(id),
                            bankId,
                            providers.get(id),
                            config,
                            engineOptions)
                        .run()));
      }
      Map<PartyId, SecureBoostFeatureParty.Result> out = new LinkedHashMap<>();
      for (var e : p.entrySet()) {
        out.put(e.getKey(), PartyThreads.await(e.getValue()));
      }
      return new Model(PartyThreads.await(b), out, order);
    } finally {
      threads.shutdownNow();
    }
  }

  /** Scores aligned rows with every party in this JVM; returns the bank's prediction. */
  public static SecureBoostLabelParty.Prediction predict(
      PartyId bankId,
      Model model,
      BinnedTable bankRows,
      Map<PartyId, BinnedTable> providerRows,
      String predictionId,
      InMemoryFederation federation) {
    ExecutorService threads = Executors.newFixedThreadPool(model.providerOrder().size() + 1);
    try {
      List<Future<Object>> sent = new ArrayList<>();
      for (PartyId id : model.providerOrder()) {
        sent.add(
            PartyThreads.submit(
                threads,
                federation,
                id,
                () -> {
                  SecureBoostFeatureParty.sendPredictionRoutes(
                      federation.endpoint(id),
                      bankId,
                      predictionId,
                      model.providers().get(id),
                      providerRows.get(id));
                  return null;
                }));
      }
      Future<SecureBoostLabelParty.Prediction> b =
          PartyThreads.submit(
              threads,
              federation,
              bankId,
              () ->
                  SecureBoostLabelParty.predict(
                      federation.endpoint(bankId),
                      model.providerOrder(),
                      predictionId,
                      model.bank(),
                      bankRows));
      for (Future<Object> f : sent) {
        PartyThreads.await(f);
      }
      return PartyThreads.await(b);
    } finally {
      threads.shutdownNow();
    }
  }
}
