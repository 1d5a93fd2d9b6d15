package org.fedcredit.modelzoo.federation;

import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Puts the job id and the party id into the SLF4J MDC (keys {@code job} and {@code party}) while a
 * role program runs, as STYLE.md asks, and removes them afterwards.
 */
public final class LogContext {

  private LogContext() {}

  /** Runs {@code role} with {@code job} and {@code party} in the MDC. */
  public static <T> T run(String job, PartyId party, Supplier<T> role) {
    MDC.put("job", job);
    MDC.put("party", party.name());
    try {
      return role.get();
    } finally {
      MDC.remove("job");
      MDC.remove("party");
    }
  }
}
