package org.fedcredit.modelzoo.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedcredit.modelzoo.federation.FederationException;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * Runs every party's {@link VerticalJobParty} in this process, one thread per party, step by step
 * as the coordinator schedules them on real nodes: step k starts on every party and the next step
 * starts when all have finished it. A party that fails is marked failed in the federation, so its
 * peers stop waiting for it with an error naming it.
 */
public final class StepwiseSimulation {

  /** Hears about every finished step, with what each party reported. */
  public interface StepListener {
    void onStep(int index, String step, Map<PartyId, Map<String, Object>> reports);
  }

  private StepwiseSimulation() {}

  /**
   * Runs all steps.
   *
   * @return per step, per party, what the party reported
   */
  public static Map<String, Map<PartyId, Map<String, Object>>> run(
      Map<PartyId, VerticalJobParty> parties, InMemoryFederation fed, StepListener listener) {
    Map<String, Map<PartyId, Map<String, Object>>> all = new LinkedHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(parties.size());
    try {
      int k = 0;
      for (String step : VerticalJobParty.STEPS) {
        Map<PartyId, Future<Map<String, Object>>> running = new LinkedHashMap<>();
        for (var e : parties.entrySet()) {
          PartyId who = e.getKey();
          VerticalJobParty program = e.getValue();
          running.put(
              who,
              threads.submit(
                  () -> {
                    try {
                      return program.runStep(step, fed.endpoint(who));
                    } catch (RuntimeException | Error ex) {
                      fed.fail(who, ex);
                      throw ex;
                    }
                  }));
        }
        Map<PartyId, Map<String, Object>> reports = new LinkedHashMap<>();
        RuntimeException first = null;
        for (var e : running.entrySet()) {
          try {
            reports.put(e.getKey(), e.getValue().get());
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new FederationException("interrupted in step " + step, ex);
          } catch (ExecutionException ex) {
            RuntimeException cause =
                ex.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(ex.getCause());
            // The first party to fail is the cause; the others fail because they waited for it.
            if (first == null || isWaitingFailure(first) && !isWaitingFailure(cause)) {
              first = cause;
            }
          }
        }
        if (first != null) {
          throw first;
        }
        all.put(step, reports);
        listener.onStep(k++, step, reports);
      }
      return all;
    } finally {
      threads.shutdownNow();
    }
  }

  private static boolean isWaitingFailure(RuntimeException e) {
    return e instanceof FederationException
        && String.valueOf(e.getMessage()).contains("which failed");
  }
}
