package org.fedcredit.modelzoo.federation;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs role programs on threads of one process over an {@link InMemoryFederation}: a role that
 * throws is marked failed in the federation, so every peer waiting for it stops with an error
 * naming it instead of hanging; {@link #await} rethrows the role's own exception.
 */
public final class PartyThreads {

  private PartyThreads() {}

  /** Starts {@code role} as party {@code who}. */
  public static <T> Future<T> submit(
      ExecutorService threads, InMemoryFederation fed, PartyId who, Callable<T> role) {
    return threads.submit(
        () -> {
          try {
            return role.call();
          } catch (RuntimeException | Error e) {
            fed.fail(who, e);
            throw e;
          }
        });
  }

  /** The role's result, or its own runtime exception. */
  public static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FederationException("interrupted while waiting for a party", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    }
  }
}
