package org.fedcredit.modelzoo.federation;

/**
 * Sees every message exactly as sent (serialised bytes, before any transport encryption): for byte
 * accounting, {@code --trace-messages} and the wire-capture privacy tests.
 */
@FunctionalInterface
public interface MessageObserver {
  void onSend(PartyId from, PartyId to, String tag, byte[] payload);
}
