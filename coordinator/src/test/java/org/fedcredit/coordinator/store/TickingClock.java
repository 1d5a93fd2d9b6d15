package org.fedcredit.coordinator.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves one millisecond per reading, so that "newest first" is deterministic. */
final class TickingClock extends Clock {
  private final AtomicReference<Instant> next;

  TickingClock(Instant start) {
    this.next = new AtomicReference<>(start);
  }

  @Override
  public Instant instant() {
    return next.getAndUpdate(t -> t.plus(Duration.ofMillis(1)));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the store only reads instants");
  }
}
