package org.fedcredit.modelzoo.psi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.MessageObserver;
import org.fedcredit.modelzoo.federation.PartyId;

/** Runs the PSI roles of one job, one thread per party, over an {@link InMemoryFederation}. */
final class PsiHarness {

  static final PartyId BANK = PartyId.of("bank");

  /** Each party's alignment, or the exception it ended with. */
  record Outcome(Map<PartyId, Alignment> alignments, Map<PartyId, Throwable> failures) {
    Alignment of(PartyId p) {
      if (failures.containsKey(p)) {
        throw new AssertionError(p + " failed: " + failures.get(p), failures.get(p));
      }
      return alignments.get(p);
    }
  }

  private PsiHarness() {}

  static Outcome run(
      PsiConfig config,
      PsiInput bank,
      Map<PartyId, PsiInput> providers,
      MessageObserver... observers) {
    Set<PartyId> all = new TreeSet<>(providers.keySet());
    all.add(BANK);
    InMemoryFederation fed = new InMemoryFederation(all, java.time.Duration.ofSeconds(30));
    for (MessageObserver o : observers) {
      fed.observe(o);
    }
    List<PartyId> featureParties = new ArrayList<>(providers.keySet());
    Map<PartyId, CompletableFuture<Alignment>> running = new LinkedHashMap<>();
    running.put(
        BANK,
        start(
            fed,
            BANK,
            () -> new PsiLabelParty(fed.endpoint(BANK), featureParties, config).run(bank)));
    providers.forEach(
        (p, input) ->
            running.put(
                p,
                start(
                    fed, p, () -> new PsiFeatureParty(fed.endpoint(p), BANK, config).run(input))));
    Map<PartyId, Alignment> ok = new LinkedHashMap<>();
    Map<PartyId, Throwable> failed = new LinkedHashMap<>();
    running.forEach(
        (p, f) -> {
          try {
            ok.put(p, f.get(60, TimeUnit.SECONDS));
          } catch (ExecutionException e) {
            failed.put(p, e.getCause());
          } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(p + " did not finish", e);
          }
        });
    return new Outcome(ok, failed);
  }

  private static CompletableFuture<Alignment> start(
      InMemoryFederation fed, PartyId p, java.util.function.Supplier<Alignment> role) {
    CompletableFuture<Alignment> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(role.get());
              } catch (Throwable e) {
                fed.fail(p, e);
                f.completeExceptionally(e);
              }
            },
            "role-" + p);
    t.setDaemon(true);
    t.start();
    return f;
  }
}
