package org.fedcredit.coordinator.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A party known to the coordinator.
 *
 * @param partyId the party id (its certificate's subject)
 * @param address where its node listens, {@code host:port}
 * @param certificateSha256 SHA-256 fingerprint of its certificate, 64 hex digits (stored lower
 *     case)
 */
public record PartyRecord(
    String partyId,
    String address,
    String certificateSha256,
    Instant registeredAt,
    Optional<Instant> lastHeartbeatAt) {
  private static final Pattern HOST_PORT = Pattern.compile("[^\\s]+:[1-9][0-9]{0,4}");

  public PartyRecord {
    Checks.text(partyId, "party id", 255);
    Checks.text(address, "address of party " + partyId, 255);
    if (!HOST_PORT.matcher(address).matches()
        || Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)) > 65535) {
      throw new IllegalArgumentException(
          "address '" + address + "' of party " + partyId + " is not host:port (port 1 to 65535)");
    }
    certificateSha256 =
        Checks.sha256Hex(certificateSha256, "certificate fingerprint of party " + partyId);
    registeredAt = Checks.micros(registeredAt, "registeredAt");
    lastHeartbeatAt =
        Objects.requireNonNull(lastHeartbeatAt, "lastHeartbeatAt")
            .map(at -> Checks.micros(at, "lastHeartbeatAt"));
  }
}
