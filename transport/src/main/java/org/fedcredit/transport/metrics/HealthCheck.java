package org.fedcredit.transport.metrics;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One named readiness probe of a node, e.g. {@code "store"} (the metadata database answers) or
 * {@code "coordinator-link"} (the coordinator is reachable). {@link #run()} never throws: a probe
 * that throws or returns {@code null} is reported as {@link Result#down DOWN} with the reason, so
 * one broken probe cannot take the health endpoint down with it.
 *
 * @param name the key of this check in the {@code /health} JSON; non-blank
 * @param probe evaluated on every {@code GET /health}; should answer quickly (it runs on the
 *     request thread)
 */
public record HealthCheck(String name, Supplier<Result> probe) {

  public HealthCheck {
    Objects.requireNonNull(name, "health check name");
    Objects.requireNonNull(probe, "health check probe for '" + name + "'");
    if (name.isBlank()) {
      throw new IllegalArgumentException("health check name must not be blank");
    }
  }

  /** Evaluates the probe; exceptions and {@code null} become a DOWN result that says so. */
  public Result run() {
    Result result;
    try {
      result = probe.get();
    } catch (RuntimeException e) {
      return Result.down(
          "check '" + name + "' threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return result != null ? result : Result.down("check '" + name + "' returned no result");
  }

  /**
   * The outcome of one probe.
   *
   * @param healthy whether the checked dependency works
   * @param detail what was observed (may be empty when up; never empty when down: a DOWN result
   *     must say why)
   */
  public record Result(boolean healthy, String detail) {

    public Result {
      Objects.requireNonNull(detail, "health check detail");
      if (!healthy && detail.isBlank()) {
        throw new IllegalArgumentException("a DOWN health check result must say why (detail)");
      }
    }

    public static Result up() {
      return new Result(true, "");
    }

    public static Result up(String detail) {
      return new Result(true, detail);
    }

    public static Result down(String reason) {
      return new Result(false, reason);
    }

    /** {@code "UP"} or {@code "DOWN"}, as written in the {@code /health} JSON. */
    public String status() {
      return healthy ? "UP" : "DOWN";
    }
  }
}
