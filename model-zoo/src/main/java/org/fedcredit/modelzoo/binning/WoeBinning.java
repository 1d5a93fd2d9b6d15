package org.fedcredit.modelzoo.binning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.fedcredit.secagg.paillier.PaillierKeyPair;

/**
 * Federated WOE/IV binning and IV selection across a bank and N ≥ 1 providers, all in this JVM over
 * an {@link InMemoryFederation} (tests, demo): each role runs on its own thread, exactly as the
 * nodes run {@link WoeBinningLabelParty} and {@link WoeBinningFeatureParty} over gRPC.
 */
public final class WoeBinning {

  private WoeBinning() {}

  /** Everyone's outcome. */
  public record Outcome(
      WoeBinningLabelParty.Result bank, Map<PartyId, WoeBinningFeatureParty.Result> providers) {}

  /** The parties of a job, for creating its {@link InMemoryFederation}. */
  public static Set<PartyId> parties(PartyId bank, Set<PartyId> providers) {
    Set<PartyId> all = new LinkedHashSet<>();
    all.add(bank);
    all.addAll(providers);
    return all;
  }

  /**
   * Runs a job. The tables must be aligned (row i is the same enterprise everywhere).
   *
   * @param configs each party's configuration (the bank's included)
   * @param jobKey the bank's fresh key for this job
   */
  public static Outcome simulate(
      PartyId bankId,
      LocalTable bank,
      Map<PartyId, LocalTable> providers,
      int[] trainingRows,
      Map<PartyId, WoeBinningConfig> configs,
      PaillierKeyPair jobKey,
      PaillierEngine.Options engineOptions,
      InMemoryFederation federation) {
    List<PartyId> ids = new ArrayList<>(providers.keySet());
    for (var e : providers.entrySet()) {
      if (e.getValue().rows() != bank.rows()) {
        throw new BinningException(
            e.getKey() + " has " + e.getValue().rows() + " aligned rows, the bank " + bank.rows());
      }
    }
    ExecutorService threads = Executors.newFixedThreadPool(ids.size() + 1);
    try {
      Future<WoeBinningLabelParty.Result> b =
          PartyThreads.submit(
              threads,
              federation,
              bankId,
              () ->
                  new WoeBinningLabelParty(
                          federation.endpoint(bankId),
                          ids,
                          bank,
                          trainingRows,
                          config(configs, bankId),
                          jobKey,
                          engineOptions)
                      .run());
      Map<PartyId, Future<WoeBinningFeatureParty.Result>> p = new LinkedHashMap<>();
      for (PartyId id : ids) {
        WoeBinningConfig c = config(configs, id);
        p.put(
            id,
            PartyThreads.submit(
                threads,
                federation,
                id,
                () ->
                    new WoeBinningFeatureParty(
                            federation.endpoint(id),
                            bankId,
                            providers.get(id),
                            trainingRows,
                            c,
                            engineOptions)
                        .run()));
      }
      Map<PartyId, WoeBinningFeatureParty.Result> out = new LinkedHashMap<>();
      for (var e : p.entrySet()) {
        out.put(e.getKey(), PartyThreads.await(e.getValue()));
      }
      return new Outcome(PartyThreads.await(b), out);
    } finally {
      threads.shutdownNow();
    }
  }

  private static WoeBinningConfig config(Map<PartyId, WoeBinningConfig> configs, PartyId id) {
    WoeBinningConfig c = configs.get(id);
    if (c == null) {
      throw new BinningException("no binning configuration for party " + id);
    }
    return c;
  }
}
